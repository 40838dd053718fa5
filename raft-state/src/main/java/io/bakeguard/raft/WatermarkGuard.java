package io.bakeguard.raft;

import io.bakeguard.core.watermark.BucketKey;
import io.bakeguard.core.watermark.Floor;
import io.bakeguard.core.watermark.KeyChain;
import io.bakeguard.core.watermark.Reservation;
import io.bakeguard.core.watermark.Watermark;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The replicated watermark guard (design.md s.1, s.4). Every method may be called on any replica:
 * followers forward to the leader. A reservation is granted only through a committed, applied
 * Raft entry; when that cannot happen before the deadline the future completes with
 * {@link GuardResult.NoQuorum}, never with a grant. Futures never complete exceptionally for
 * cluster trouble: that is NoQuorum.
 */
public interface WatermarkGuard extends AutoCloseable {

    /**
     * Proposes a reservation and returns the rule's decision once the entry is applied.
     *
     * @param firstUseAllowed the key's policy, taken by the proposer and carried in the entry
     */
    CompletableFuture<GuardResult> reserve(Reservation reservation, boolean firstUseAllowed, Instant deadline);

    /**
     * Stores the signature returned for a granted reservation so that an identical retry gets it
     * back. Ignored by apply when the bucket has moved on.
     */
    CompletableFuture<GuardResult> recordSignature(
            BucketKey bucket, int level, int round, String digestHex, String signature, Instant deadline);

    /**
     * Records a non-consensus decision (0x03, 0x05, refused policy...) in the watermark log.
     *
     * @param kind request kind label ({@code generic}, {@code micheline}, {@code authenticated}, ...)
     * @param granted whether policy allowed it
     */
    CompletableFuture<GuardResult> recordDecision(
            String keyHash, String kind, String digestHex, boolean granted, String reason, Instant deadline);

    /** Raises the floor of a (key, chain): only upward; a lower or equal floor is refused. */
    CompletableFuture<GuardResult> raiseFloor(KeyChain keyChain, Floor floor, Instant deadline);

    /**
     * Imports marks from another signer (octez-signer, Signatory): each bucket only moves up; marks at
     * or below the current one are ignored. The decision is Granted when at least one bucket moved.
     */
    CompletableFuture<GuardResult> importMarks(Map<BucketKey, Watermark> marks, Instant deadline);

    /** Linearizable read of every bucket (through the leader's commit index). */
    CompletableFuture<Map<BucketKey, Watermark>> watermarks();

    /** Linearizable read of every floor. */
    CompletableFuture<Map<KeyChain, Floor>> floors();

    /**
     * This replica's applied buckets, without consensus: cheap, possibly behind the cluster, for
     * metrics gauges and diagnostics only. Decisions never use it.
     */
    Map<BucketKey, Watermark> localWatermarks();

    /** How many leader changes this replica has seen since it started. */
    long leaderChanges();

    /** Reads the local copy of the watermark log. */
    List<LogRecord> log(LogFilter filter);

    /**
     * Reads the local watermark log; with {@code allHistories}, the histories this replica set aside when it
     * installed a snapshot that did not link to its log (design.md s.4) come first, below the current one.
     */
    default List<LogRecord> log(LogFilter filter, boolean allHistories) {
        return log(filter);
    }

    /** The histories this replica set aside (see {@link #log(LogFilter, boolean)}), oldest first. */
    default List<EarlierHistory> earlierHistories() {
        return List.of();
    }

    /** A set-aside history: its file in the data directory, the index it starts at, and its size. */
    record EarlierHistory(String file, long startIndex, long bytes) {}

    /** The hash of the log record at {@code index}, if this replica holds it (in any of its histories). */
    Optional<String> logHashAt(long index);

    ClusterStatus status();

    /**
     * Damage that the background check found in this replica's watermark log after it started (records older than
     * the tail, which start-up trusts when the log's checkpoint matches), with what to do about it; empty while none
     * is known. Signing does not depend on the log, which is the audit history.
     */
    default Optional<String> watermarkLogDamage() {
        return Optional.empty();
    }

    /** True when a no-op read through the leader succeeds within {@code timeoutMillis} now. */
    boolean canCommitNow(long timeoutMillis);

    CompletableFuture<Void> addPeer(String id, String raftAddress);

    CompletableFuture<Void> removePeer(String id);

    CompletableFuture<Void> transferLeadership(String id);

    /** Takes a snapshot now; returns its index. */
    CompletableFuture<Long> snapshot();

    @Override
    void close();
}
