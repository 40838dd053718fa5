package io.bakeguard.safety.check;

import io.bakeguard.safety.history.FaultEvent;
import io.bakeguard.safety.history.Op;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The checker's result.
 *
 * @param violations every broken property found (empty means the history is safe)
 * @param notes observations that are not safety violations (log gaps, refusals the model would have granted)
 * @param signaturesVerified signatures checked against public keys
 * @param slotsChecked distinct (bucket, level, round) that received at least one signature
 * @param logRecordsReplayed records of the merged watermark log replayed through the model
 * @param signaturesMatchedToLog signatures for which the committed reservation was found
 */
public record Verdict(
        List<Violation> violations,
        List<String> notes,
        long signaturesVerified,
        long slotsChecked,
        long logRecordsReplayed,
        long signaturesMatchedToLog) {
    public Verdict {
        violations = List.copyOf(violations);
        notes = List.copyOf(notes);
    }

    public boolean safe() {
        return violations.isEmpty();
    }

    public Map<Violation.Type, Integer> countsByType() {
        Map<Violation.Type, Integer> m = new EnumMap<>(Violation.Type.class);
        for (Violation v : violations) {
            m.merge(v.type(), 1, Integer::sum);
        }
        return m;
    }

    public boolean has(Violation.Type type) {
        return violations.stream().anyMatch(v -> v.type() == type);
    }

    /**
     * The failure report: the seed, then per violation the requests and records that show it and the faults
     * active while they ran. At most {@code limit} violations are printed in full.
     */
    public String render(long seed, List<FaultEvent> faults, int limit) {
        StringBuilder sb = new StringBuilder();
        sb.append(safe() ? "SAFE" : "UNSAFE")
                .append(" (seed ")
                .append(seed)
                .append("): ")
                .append(violations.size())
                .append(" violation(s) ")
                .append(countsByType())
                .append('\n');
        int shown = 0;
        for (Violation v : violations) {
            if (shown++ >= limit) {
                sb.append("... ").append(violations.size() - limit).append(" more\n");
                break;
            }
            sb.append(v.render());
            long from = v.ops().stream().mapToLong(Op::startMicros).min().orElse(Long.MAX_VALUE);
            long to = v.ops().stream().mapToLong(Op::endMicros).max().orElse(Long.MIN_VALUE);
            for (FaultEvent f : faults) {
                if (f.startMicros() <= to && f.healMicros() >= from) {
                    sb.append("    during ").append(f.describe()).append('\n');
                }
            }
        }
        for (String n : notes) {
            sb.append("note: ").append(n).append('\n');
        }
        return sb.toString();
    }
}
