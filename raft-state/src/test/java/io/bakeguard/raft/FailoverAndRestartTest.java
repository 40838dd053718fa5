package io.bakeguard.raft;

import static io.bakeguard.raft.GuardBasicsTest.decide;
import static io.bakeguard.raft.TestCluster.assertNoMarkMovedDown;
import static io.bakeguard.raft.TestCluster.deadline;
import static io.bakeguard.raft.TestCluster.reservation;
import static org.assertj.core.api.Assertions.assertThat;

import io.bakeguard.core.watermark.BucketKey;
import io.bakeguard.core.watermark.Decision;
import io.bakeguard.core.watermark.Floor;
import io.bakeguard.core.watermark.KeyChain;
import io.bakeguard.core.watermark.Watermark;
import io.bakeguard.core.watermark.WatermarkKind;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FailoverAndRestartTest {

    @TempDir
    Path dir;

    /** Per replica: the marks seen at the previous check. */
    private final Map<String, Map<BucketKey, Watermark>> seen = new HashMap<>();

    private void checkNoMarkMovedDown(TestCluster cluster) {
        for (Map.Entry<String, RaftWatermarkGuard> e : cluster.running.entrySet()) {
            Map<BucketKey, Watermark> now = e.getValue().localWatermarks();
            assertNoMarkMovedDown(seen.getOrDefault(e.getKey(), Map.of()), now);
            seen.put(e.getKey(), now);
        }
    }

    /** Proposes until the cluster decides (NoQuorum during an election is retried), bounded. */
    private static Decision reserveUntilDecided(TestCluster cluster, int level, String bytes) throws Exception {
        Instant end = Instant.now().plus(TestCluster.WAIT);
        int attempt = 0;
        while (Instant.now().isBefore(end)) {
            List<RaftWatermarkGuard> replicas = cluster.replicas();
            RaftWatermarkGuard g = replicas.get(attempt++ % replicas.size());
            GuardResult r = g.reserve(reservation(WatermarkKind.BLOCK, level, 0, bytes), true, deadline())
                    .get(30, TimeUnit.SECONDS);
            if (r instanceof GuardResult.Decided d) {
                return d.decision();
            }
        }
        throw new AssertionError("level " + level + " was never decided");
    }

    @Test
    void survivorsKeepGrantingWhenTheLeaderStopsAndTheRestartedReplicaCatchesUpWithoutAnyMarkMovingDown()
            throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3)) {
            cluster.waitForLeader();
            // A background stream of attestations from every replica, so that entries are in flight
            // when the leader stops.
            Map<Integer, String> grantedDigests = new ConcurrentHashMap<>();
            AtomicInteger doubleGrants = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger nextLevel = new AtomicInteger(1);
            Thread stream = new Thread(() -> {
                while (!stop.get()) {
                    int level = nextLevel.getAndIncrement();
                    for (RaftWatermarkGuard g : cluster.replicas()) {
                        String bytes = "attestation " + level + " via " + System.identityHashCode(g);
                        try {
                            GuardResult r = g.reserve(
                                            reservation(WatermarkKind.ATTESTATION, level, 0, bytes),
                                            true,
                                            Instant.now().plusSeconds(2))
                                    .get(30, TimeUnit.SECONDS);
                            if (r instanceof GuardResult.Decided d && d.decision() instanceof Decision.Granted gr) {
                                if (grantedDigests.putIfAbsent(level, gr.mark().digestHex()) != null) {
                                    doubleGrants.incrementAndGet();
                                }
                            }
                        } catch (Exception e) {
                            // A replica closed under us: its proposal is simply lost.
                        }
                    }
                }
            });
            stream.setDaemon(true);
            stream.start();
            try {
                int level = 100;
                for (; level < 110; level++) {
                    assertThat(reserveUntilDecided(cluster, level, "block " + level))
                            .isInstanceOf(Decision.Granted.class);
                    checkNoMarkMovedDown(cluster);
                }
                String leader = cluster.waitForLeader();
                cluster.stop(leader);
                checkNoMarkMovedDown(cluster);
                for (; level < 120; level++) {
                    assertThat(reserveUntilDecided(cluster, level, "block " + level))
                            .isInstanceOf(Decision.Granted.class);
                    checkNoMarkMovedDown(cluster);
                }
                assertThat(cluster.waitForLeader()).isNotEqualTo(leader);
                cluster.startReplica(leader);
                checkNoMarkMovedDown(cluster);
                for (; level < 125; level++) {
                    assertThat(reserveUntilDecided(cluster, level, "block " + level))
                            .isInstanceOf(Decision.Granted.class);
                    checkNoMarkMovedDown(cluster);
                }
            } finally {
                stop.set(true);
                stream.join(60_000);
            }
            cluster.awaitConverged();
            checkNoMarkMovedDown(cluster);
            Map<BucketKey, Watermark> reference = cluster.get("n1").localWatermarks();
            assertThat(reference.get(TestCluster.bucket(WatermarkKind.BLOCK)).level())
                    .isEqualTo(124);
            for (RaftWatermarkGuard g : cluster.replicas()) {
                assertThat(g.localWatermarks()).isEqualTo(reference);
            }
            assertThat(doubleGrants.get())
                    .as("two digests granted at one level")
                    .isZero();
            assertThat(cluster.get("n1").leaderChanges()).isPositive();
        }
    }

    @Test
    void fullRestartFromTheDataDirectoriesRestoresEveryMarkAndIdenticalLogHashes() throws Exception {
        Map<BucketKey, Watermark> before;
        Map<KeyChain, Floor> floorsBefore;
        List<LogRecord> logBefore;
        try (TestCluster cluster = TestCluster.start(dir, 3)) {
            cluster.waitForLeader();
            RaftWatermarkGuard g = cluster.get("n2");
            for (int level = 1; level <= 20; level++) {
                decide(g.reserve(reservation(WatermarkKind.PREATTESTATION, level, 1, "pre " + level), true, deadline())
                        .get(30, TimeUnit.SECONDS));
            }
            decide(g.recordSignature(
                            TestCluster.bucket(WatermarkKind.PREATTESTATION),
                            20,
                            1,
                            TestCluster.digest("pre 20"),
                            "sigXYZ",
                            deadline())
                    .get(30, TimeUnit.SECONDS));
            KeyChain kc = new KeyChain(TestCluster.KEY, TestCluster.CHAIN);
            assertThat(decide(g.raiseFloor(kc, new Floor(50, Optional.empty()), deadline())
                            .get(30, TimeUnit.SECONDS)))
                    .isInstanceOf(Decision.Granted.class);
            assertThat(decide(g.raiseFloor(kc, new Floor(40, Optional.empty()), deadline())
                            .get(30, TimeUnit.SECONDS)))
                    .isInstanceOf(Decision.Refused.class);
            decide(g.recordDecision(
                            TestCluster.KEY, "generic", TestCluster.digest("op"), false, "policy: tx", deadline())
                    .get(30, TimeUnit.SECONDS));
            cluster.awaitConverged();
            before = g.watermarks().get(30, TimeUnit.SECONDS);
            floorsBefore = g.floors().get(30, TimeUnit.SECONDS);
            logBefore = g.log(LogFilter.all(1000));
            assertThat(logBefore).hasSize(24);
            assertThat(before.get(TestCluster.bucket(WatermarkKind.PREATTESTATION))
                            .signature())
                    .contains("sigXYZ");
            List<PeerAddress> peers = List.copyOf(cluster.peers);
            cluster.close();

            try (TestCluster again = TestCluster.restart(dir, peers)) {
                again.waitForLeader();
                again.awaitConverged();
                for (RaftWatermarkGuard r : again.replicas()) {
                    assertThat(r.localWatermarks()).isEqualTo(before);
                    assertThat(r.log(LogFilter.all(1000))).isEqualTo(logBefore);
                }
                assertThat(again.get("n3").floors().get(30, TimeUnit.SECONDS)).isEqualTo(floorsBefore);
                // The chain goes on from where it was, identically on every replica.
                GuardResult next = again.get("n1")
                        .reserve(reservation(WatermarkKind.PREATTESTATION, 60, 0, "after restart"), false, deadline())
                        .get(30, TimeUnit.SECONDS);
                assertThat(decide(next)).isInstanceOf(Decision.Granted.class);
                long index = ((GuardResult.Decided) next).logIndex();
                again.awaitConverged();
                List<String> hashes = again.replicas().stream()
                        .map(r -> r.logHashAt(index).orElse("missing"))
                        .collect(Collectors.toList());
                assertThat(hashes).doesNotContain("missing");
                assertThat(new ArrayList<>(new java.util.HashSet<>(hashes))).hasSize(1);
                LogRecord last = again.get("n3")
                        .log(new LogFilter(
                                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 0, 1, true))
                        .get(0);
                assertThat(last.index()).isEqualTo(index);
                assertThat(last.previousHash())
                        .isEqualTo(logBefore.get(logBefore.size() - 1).hash());
            }
        }
    }
}
