package io.bakeguard.safety.check;

import io.bakeguard.safety.history.Op;
import java.util.List;

/**
 * One broken safety property, with the smallest part of the history that shows it.
 *
 * @param type which property
 * @param message what is wrong, in one sentence
 * @param ops the requests that show it (usually one or two)
 * @param records the watermark-log records that show it, when any
 */
public record Violation(Type type, String message, List<Op> ops, List<CommittedRecord> records) {
    public Violation {
        ops = List.copyOf(ops);
        records = List.copyOf(records);
    }

    /** The properties the checker enforces. */
    public enum Type {
        /** A returned signature does not verify against the key's public key. */
        INVALID_SIGNATURE,
        /** Two different digests were signed for one (key, chain, kind, level, round). */
        DOUBLE_SIGNATURE,
        /** A signature at a lower (level, round) was returned for a request sent after a higher one was returned. */
        REALTIME_REGRESSION,
        /** In commit order, a bucket's granted (level, round) did not strictly increase, or a repeat did not match. */
        LOG_REGRESSION,
        /** Two replicas hold different records at the same log index, or a replica's hash chain is broken. */
        LOG_DIVERGENCE,
        /** A signature has no committed granted/repeat reservation proposed by the replica that returned it. */
        UNCOMMITTED_SIGNATURE,
        /** Like UNCOMMITTED_SIGNATURE, from a replica that was cut off from the majority at the time. */
        MINORITY_GRANT,
        /** After every replica was killed and restarted, a watermark was lower than before. */
        WATERMARK_LOST,
        /** The history itself is inconsistent (digest does not match the request bytes): a harness bug. */
        MALFORMED_HISTORY
    }

    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append(type).append(": ").append(message).append('\n');
        for (Op op : ops) {
            sb.append("    ").append(op.describe()).append('\n');
        }
        for (CommittedRecord r : records) {
            sb.append("    ").append(r.describe()).append('\n');
        }
        return sb.toString();
    }
}
