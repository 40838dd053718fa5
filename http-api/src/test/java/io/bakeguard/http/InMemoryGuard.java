package io.bakeguard.http;

import io.bakeguard.core.watermark.BucketKey;
import io.bakeguard.core.watermark.Decision;
import io.bakeguard.core.watermark.Floor;
import io.bakeguard.core.watermark.KeyChain;
import io.bakeguard.core.watermark.Reservation;
import io.bakeguard.core.watermark.Watermark;
import io.bakeguard.core.watermark.WatermarkRule;
import io.bakeguard.raft.ClusterStatus;
import io.bakeguard.raft.GuardResult;
import io.bakeguard.raft.LogFilter;
import io.bakeguard.raft.LogRecord;
import io.bakeguard.raft.WatermarkGuard;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * A single-process test double of the replicated guard: the same pure rule, one lock instead of
 * Raft. {@link #quorum} switched off makes every proposal answer NoQuorum, as a minority replica.
 */
final class InMemoryGuard implements WatermarkGuard {
    private final Map<BucketKey, Watermark> marks = new TreeMap<>();
    private final Map<KeyChain, Floor> floors = new TreeMap<>();
    private final List<LogRecord> log = new ArrayList<>();
    volatile boolean quorum = true;
    /** What {@link #watermarkLogDamage} reports; null for none. */
    volatile String logDamage;

    private long index;

    @Override
    public synchronized CompletableFuture<GuardResult> reserve(
            Reservation r, boolean firstUseAllowed, Instant deadline) {
        if (!quorum) {
            return CompletableFuture.completedFuture(new GuardResult.NoQuorum("test: no quorum"));
        }
        Decision d = WatermarkRule.apply(
                Optional.ofNullable(marks.get(r.bucket())),
                Optional.ofNullable(floors.get(r.bucket().keyChain())),
                firstUseAllowed,
                r);
        if (d instanceof Decision.Granted g) {
            marks.put(r.bucket(), g.mark());
        }
        append("reserve", r.bucket().keyHash(), r.bucket().kind().octezName(), r.level(), r.round(), d.toString());
        return CompletableFuture.completedFuture(new GuardResult.Decided(d, index));
    }

    @Override
    public synchronized CompletableFuture<GuardResult> recordSignature(
            BucketKey bucket, int level, int round, String digestHex, String signature, Instant deadline) {
        if (!quorum) {
            return CompletableFuture.completedFuture(new GuardResult.NoQuorum("test: no quorum"));
        }
        WatermarkRule.recordSignature(Optional.ofNullable(marks.get(bucket)), level, round, digestHex, signature)
                .ifPresent(m -> marks.put(bucket, m));
        append("signature", bucket.keyHash(), bucket.kind().octezName(), level, round, "recorded");
        return CompletableFuture.completedFuture(
                new GuardResult.Decided(new Decision.Granted(marks.get(bucket)), index));
    }

    @Override
    public synchronized CompletableFuture<GuardResult> recordDecision(
            String keyHash, String kind, String digestHex, boolean granted, String reason, Instant deadline) {
        if (!quorum) {
            return CompletableFuture.completedFuture(new GuardResult.NoQuorum("test: no quorum"));
        }
        append("decision", keyHash, kind, 0, 0, granted ? "granted" : "refused");
        Decision d = granted
                ? new Decision.Granted(Watermark.unsigned(0, 0, digestHex))
                : new Decision.Refused(Decision.Reason.POLICY, reason);
        return CompletableFuture.completedFuture(new GuardResult.Decided(d, index));
    }

    @Override
    public synchronized CompletableFuture<GuardResult> raiseFloor(KeyChain keyChain, Floor floor, Instant deadline) {
        Floor cur = floors.get(keyChain);
        if (cur != null && !floor.above(cur)) {
            return CompletableFuture.completedFuture(new GuardResult.Decided(
                    new Decision.Refused(Decision.Reason.BELOW_FLOOR, "floor only moves up"), ++index));
        }
        floors.put(keyChain, floor);
        append(
                "floor",
                keyChain.keyHash(),
                "floor",
                floor.level(),
                floor.round().orElse(0),
                "raised");
        return CompletableFuture.completedFuture(
                new GuardResult.Decided(new Decision.Granted(Watermark.unsigned(0, 0, "0".repeat(64))), index));
    }

    @Override
    public synchronized CompletableFuture<GuardResult> importMarks(
            Map<BucketKey, Watermark> imported, Instant deadline) {
        boolean moved = false;
        for (var e : imported.entrySet()) {
            Watermark cur = marks.get(e.getKey());
            Watermark w = e.getValue();
            if (cur == null || Watermark.above(w.level(), w.round(), cur.level(), cur.round())) {
                marks.put(e.getKey(), w);
                moved = true;
            }
        }
        append("import", "", "import", 0, 0, moved ? "raised" : "ignored");
        Decision d = moved
                ? new Decision.Granted(Watermark.unsigned(0, 0, "0".repeat(64)))
                : new Decision.Refused(Decision.Reason.NOT_ABOVE, "nothing above the current marks");
        return CompletableFuture.completedFuture(new GuardResult.Decided(d, index));
    }

    @Override
    public synchronized CompletableFuture<Map<BucketKey, Watermark>> watermarks() {
        return CompletableFuture.completedFuture(new TreeMap<>(marks));
    }

    @Override
    public synchronized CompletableFuture<Map<KeyChain, Floor>> floors() {
        return CompletableFuture.completedFuture(new TreeMap<>(floors));
    }

    @Override
    public synchronized Map<BucketKey, Watermark> localWatermarks() {
        return new TreeMap<>(marks);
    }

    @Override
    public long leaderChanges() {
        return 1;
    }

    @Override
    public synchronized List<LogRecord> log(LogFilter filter) {
        return log.stream()
                .filter(r -> r.index() > filter.afterIndex())
                .filter(r -> filter.keyHash().isEmpty() || filter.keyHash().equals(r.keyHash()))
                .filter(r -> filter.kind().isEmpty() || filter.kind().get().equals(r.kind()))
                .limit(filter.limit())
                .toList();
    }

    @Override
    public synchronized Optional<String> logHashAt(long i) {
        return log.stream().filter(r -> r.index() == i).map(LogRecord::hash).findFirst();
    }

    @Override
    public synchronized ClusterStatus status() {
        return new ClusterStatus(
                "t1",
                "LEADER",
                Optional.of("t1"),
                1,
                index,
                index,
                1,
                List.of(new ClusterStatus.Peer("t1", "127.0.0.1:1", Optional.empty(), Optional.empty())));
    }

    @Override
    public boolean canCommitNow(long timeoutMillis) {
        return quorum;
    }

    @Override
    public CompletableFuture<Void> addPeer(String id, String raftAddress) {
        return CompletableFuture.failedFuture(new IllegalStateException("single test replica"));
    }

    @Override
    public CompletableFuture<Void> removePeer(String id) {
        return CompletableFuture.failedFuture(new IllegalStateException("single test replica"));
    }

    @Override
    public CompletableFuture<Void> transferLeadership(String id) {
        return CompletableFuture.failedFuture(new IllegalStateException("single test replica"));
    }

    @Override
    public CompletableFuture<Long> snapshot() {
        return CompletableFuture.completedFuture(index);
    }

    @Override
    public void close() {}

    private void append(String entry, String key, String kind, int level, int round, String decision) {
        index++;
        String prev = log.isEmpty() ? "0".repeat(64) : log.get(log.size() - 1).hash();
        log.add(new LogRecord(
                index,
                1,
                System.currentTimeMillis(),
                "t1",
                entry,
                key.isEmpty() ? Optional.empty() : Optional.of(key),
                Optional.empty(),
                kind,
                level,
                round,
                Optional.empty(),
                decision,
                Optional.empty(),
                prev,
                String.format("%064x", index)));
    }

    @Override
    public Optional<String> watermarkLogDamage() {
        return Optional.ofNullable(logDamage);
    }
}
