package io.bakeguard.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.bakeguard.core.watermark.BucketKey;
import io.bakeguard.core.watermark.Reservation;
import io.bakeguard.core.watermark.Watermark;
import io.bakeguard.core.watermark.WatermarkKind;
import io.bakeguard.testkit.LoopbackPorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Real Ratis replicas in this JVM on 127.0.0.1 with free ports, each with its own data directory.
 * Every wait is bounded.
 */
final class TestCluster implements AutoCloseable {
    static final String KEY = "tz1KqTpEZ7Yob7QbPE4Hy4Wo8fHG8LhKxZSx";
    static final String CHAIN = "NetXdQprcVkpaWU";
    static final Duration WAIT = Duration.ofSeconds(30);

    private final Path root;
    private final RaftWatermarkGuard.Tuning tuning;
    private final Function<ReplicaSettings, ReplicaSettings> customize;
    final List<PeerAddress> peers = new ArrayList<>();
    final Map<String, RaftWatermarkGuard> running = Collections.synchronizedMap(new LinkedHashMap<>());

    private TestCluster(
            Path root, RaftWatermarkGuard.Tuning tuning, Function<ReplicaSettings, ReplicaSettings> customize) {
        this.root = root;
        this.tuning = tuning;
        this.customize = customize;
    }

    static TestCluster start(Path root, int size) throws IOException {
        return start(root, size, RaftWatermarkGuard.Tuning.DEFAULTS, s -> s);
    }

    static TestCluster start(
            Path root, int size, RaftWatermarkGuard.Tuning tuning, Function<ReplicaSettings, ReplicaSettings> customize)
            throws IOException {
        TestCluster c = new TestCluster(root, tuning, customize);
        for (int i = 1; i <= size; i++) {
            c.peers.add(new PeerAddress("n" + i, "127.0.0.1:" + LoopbackPorts.one()));
        }
        try {
            for (PeerAddress p : List.copyOf(c.peers)) {
                c.startReplica(p.id());
            }
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** Starts the replicas of an earlier cluster again from their data directories. */
    static TestCluster restart(Path root, List<PeerAddress> peers) throws IOException {
        TestCluster c = new TestCluster(root, RaftWatermarkGuard.Tuning.DEFAULTS, s -> s);
        c.peers.addAll(peers);
        try {
            for (PeerAddress p : peers) {
                c.startReplica(p.id());
            }
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    ReplicaSettings settings(String id) {
        return customize.apply(ReplicaSettings.of(id, root.resolve(id), peers)
                .withElectionTimeouts(Duration.ofMillis(150), Duration.ofMillis(300)));
    }

    RaftWatermarkGuard startReplica(String id) throws IOException {
        RaftWatermarkGuard g = RaftWatermarkGuard.start(settings(id), tuning);
        running.put(id, g);
        return g;
    }

    /** Adds a new member to the configured list (not yet to the Raft group). */
    PeerAddress newPeer(String id) throws IOException {
        PeerAddress p = new PeerAddress(id, "127.0.0.1:" + LoopbackPorts.one());
        peers.add(p);
        return p;
    }

    void stop(String id) {
        RaftWatermarkGuard g = running.remove(id);
        if (g != null) {
            g.close();
        }
    }

    RaftWatermarkGuard get(String id) {
        return running.get(id);
    }

    List<RaftWatermarkGuard> replicas() {
        synchronized (running) {
            return List.copyOf(running.values());
        }
    }

    String waitForLeader() {
        String[] leader = new String[1];
        await("a leader", () -> {
            for (Map.Entry<String, RaftWatermarkGuard> e : running.entrySet()) {
                ClusterStatus s = e.getValue().status();
                if (s.role().equals("LEADER") && e.getValue().canCommitNow(2000)) {
                    leader[0] = e.getKey();
                    return true;
                }
            }
            return false;
        });
        return leader[0];
    }

    /** Waits until every running replica has applied everything the leader has committed. */
    void awaitConverged() {
        await("replicas converged", () -> {
            long max = running.values().stream()
                    .mapToLong(g -> g.status().commitIndex())
                    .max()
                    .orElse(-1);
            return running.values().stream().allMatch(g -> g.status().appliedIndex() >= max);
        });
    }

    static void await(String what, BooleanSupplier condition) {
        Instant end = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(end)) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what);
            }
        }
        throw new AssertionError("timed out after " + WAIT + " waiting for " + what);
    }

    static Instant deadline() {
        return Instant.now().plusSeconds(20);
    }

    static BucketKey bucket(WatermarkKind kind) {
        return new BucketKey(KEY, CHAIN, kind);
    }

    static Reservation reservation(WatermarkKind kind, int level, int round, String bytes) {
        return new Reservation(bucket(kind), level, round, digest(bytes));
    }

    static String digest(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** No bucket of {@code after} is below the same bucket in {@code before}. */
    static void assertNoMarkMovedDown(Map<BucketKey, Watermark> before, Map<BucketKey, Watermark> after) {
        for (Map.Entry<BucketKey, Watermark> e : before.entrySet()) {
            Watermark now = after.get(e.getKey());
            assertThat(now).as("bucket %s disappeared", e.getKey()).isNotNull();
            Watermark was = e.getValue();
            assertThat(now.level() > was.level() || (now.level() == was.level() && now.round() >= was.round()))
                    .as("bucket %s moved down from %s to %s", e.getKey(), was, now)
                    .isTrue();
            if (now.level() == was.level() && now.round() == was.round()) {
                assertThat(now.digestHex())
                        .as("digest at the same mark changed")
                        .isEqualTo(was.digestHex());
            }
        }
    }

    Optional<String> anyHashAt(long index) {
        return running.values().iterator().next().logHashAt(index);
    }

    @Override
    public void close() {
        List<String> ids;
        synchronized (running) {
            ids = List.copyOf(running.keySet());
        }
        for (String id : ids) {
            stop(id);
        }
    }
}
