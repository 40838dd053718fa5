package io.bakeguard.raft;

import static io.bakeguard.raft.GuardBasicsTest.decide;
import static io.bakeguard.raft.TestCluster.deadline;
import static io.bakeguard.raft.TestCluster.reservation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bakeguard.core.watermark.BucketKey;
import io.bakeguard.core.watermark.Decision;
import io.bakeguard.core.watermark.Watermark;
import io.bakeguard.core.watermark.WatermarkKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotAndMembershipTest {
    /** Small segments, a short snapshot tail and no preserved entries, so that purging really happens. */
    static final RaftWatermarkGuard.Tuning SMALL =
            new RaftWatermarkGuard.Tuning(20, 1_000_000, 5, 1, "16KB", Long.MAX_VALUE);

    @TempDir
    Path dir;

    @Test
    void newReplicasAddedAfterASnapshotAndPurgeCatchUpFromTheSnapshotAndSayWhereTheirHistoryStarts() throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3, SMALL, s -> s)) {
            String leader = cluster.waitForLeader();
            RaftWatermarkGuard n1 = cluster.get("n1");
            for (int level = 1; level <= 300; level++) {
                RaftWatermarkGuard g = cluster.replicas().get(level % 3);
                WatermarkKind kind = WatermarkKind.values()[level % WatermarkKind.values().length];
                GuardResult r = g.reserve(reservation(kind, level, 0, "op " + level), true, deadline())
                        .get(30, TimeUnit.SECONDS);
                assertThat(decide(r)).isInstanceOf(Decision.Granted.class);
            }
            cluster.awaitConverged();
            for (RaftWatermarkGuard g : cluster.replicas()) {
                long index = g.snapshot().get(60, TimeUnit.SECONDS);
                assertThat(index).isPositive();
            }
            // Ratis purges in its log worker after the snapshot is registered, so on a busy machine a moment later.
            TestCluster.await("the leader purged its log behind the snapshot", () -> {
                try {
                    return cluster.get(leader).raftLogStartIndex() > 0;
                } catch (java.io.IOException e) {
                    return false;
                }
            });
            Path sm = Files.walk(dir.resolve(leader))
                    .filter(p -> p.getFileName().toString().equals("sm"))
                    .findFirst()
                    .orElseThrow();
            try (var files = Files.list(sm)) {
                assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("snapshot.")))
                        .isNotEmpty();
            }

            for (String id : List.of("n4", "n5")) {
                PeerAddress p = cluster.newPeer(id);
                RaftWatermarkGuard fresh = cluster.startReplica(id);
                assertThat(fresh.status().peers())
                        .as("a new replica waits to be added")
                        .isEmpty();
                cluster.get(leader).addPeer(id, p.raftAddress()).get(60, TimeUnit.SECONDS);
                TestCluster.await(
                        id + " caught up", () -> fresh.localWatermarks().equals(n1.localWatermarks()));
                ClusterStatus st = fresh.status();
                assertThat(st.historyStartIndex())
                        .as("history of a replica that installed a snapshot starts at the snapshot's tail")
                        .isGreaterThan(1);
                List<LogRecord> own = fresh.log(LogFilter.all(10_000));
                assertThat(own).isNotEmpty();
                assertThat(own.get(0).index()).isEqualTo(st.historyStartIndex());
                // Identical records, hashes included, from the start of its history on.
                List<LogRecord> reference = n1.log(new LogFilter(
                        java.util.Optional.empty(),
                        java.util.Optional.empty(),
                        java.util.Optional.empty(),
                        java.util.Optional.empty(),
                        st.historyStartIndex() - 1,
                        10_000,
                        false));
                assertThat(own).isEqualTo(reference);
                long older = n1.log(LogFilter.all(1)).get(0).index();
                assertThat(older).as("n1 holds older history").isLessThan(st.historyStartIndex());
                assertThat(n1.logHashAt(older)).isPresent();
                assertThat(fresh.logHashAt(older)).isEmpty();
                // It had no record before the snapshot, so it has no earlier history to serve either.
                assertThat(fresh.earlierHistories()).isEmpty();
                assertThat(fresh.log(LogFilter.all(10_000), true)).isEqualTo(own);
            }
            TestCluster.await(
                    "five members", () -> cluster.get(leader).status().peers().size() == 5);

            // The five-member cluster keeps deciding, on every replica identically.
            GuardResult r = cluster.get("n5")
                    .reserve(reservation(WatermarkKind.BLOCK, 1000, 0, "after join"), true, deadline())
                    .get(30, TimeUnit.SECONDS);
            assertThat(decide(r)).isInstanceOf(Decision.Granted.class);
            long index = ((GuardResult.Decided) r).logIndex();
            cluster.awaitConverged();
            Map<BucketKey, Watermark> marks = n1.localWatermarks();
            assertThat(cluster.replicas().stream().map(RaftWatermarkGuard::localWatermarks))
                    .allMatch(marks::equals);
            assertThat(cluster.replicas().stream()
                            .map(g -> g.logHashAt(index).orElse("missing"))
                            .collect(Collectors.toSet()))
                    .hasSize(1)
                    .doesNotContain("missing");

            // Removing a member shrinks the group; the rest keeps granting.
            cluster.get(leader).removePeer("n4").get(60, TimeUnit.SECONDS);
            TestCluster.await(
                    "four members", () -> cluster.get(leader).status().peers().size() == 4);
            assertThatThrownBy(() -> cluster.get(leader).removePeer("n9").get(60, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasMessageContaining("not a member");
            assertThat(decide(cluster.get("n2")
                            .reserve(reservation(WatermarkKind.BLOCK, 1001, 0, "after removal"), true, deadline())
                            .get(30, TimeUnit.SECONDS)))
                    .isInstanceOf(Decision.Granted.class);
        }
    }

    @Test
    void leadershipCanBeTransferredToAnotherReplica() throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3)) {
            String leader = cluster.waitForLeader();
            String target = leader.equals("n1") ? "n2" : "n1";
            // Another replica may win the election the transfer starts (a loaded machine): try again, bounded.
            for (int attempt = 0;
                    attempt < 5 && !cluster.get(target).status().role().equals("LEADER");
                    attempt++) {
                try {
                    cluster.get("n3").transferLeadership(target).get(60, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    assertThat(e).hasCauseInstanceOf(NoQuorumException.class);
                }
            }
            TestCluster.await(
                    "leader " + target,
                    () -> cluster.get(target).status().role().equals("LEADER"));
            ClusterStatus st = cluster.get(target).status();
            assertThat(st.leaderId()).contains(target);
            assertThat(st.peers()).hasSize(3);
            assertThat(st.peers().stream().filter(p -> !p.id().equals(target)))
                    .allMatch(p -> p.lastContactMillisAgo().isPresent());
            TestCluster.await("n3 saw the change", () -> cluster.get("n3").leaderChanges() >= 2);
        }
    }

    @Test
    void snapshotsStartANewWatermarkLogFileOnceItIsLargeAndTheWholeTrailStaysChainedAcrossARestart() throws Exception {
        RaftWatermarkGuard.Tuning rotating = new RaftWatermarkGuard.Tuning(20, 1_000_000, 5, 1, "16KB", 4096);
        try (TestCluster cluster = TestCluster.start(dir, 3, rotating, s -> s)) {
            cluster.waitForLeader();
            grant(cluster, 1, 120);
            cluster.awaitConverged();
            for (RaftWatermarkGuard g : cluster.replicas()) {
                g.snapshot().get(60, TimeUnit.SECONDS);
                assertThat(g.earlierHistories())
                        .as("a file of 120 records is over 4 KiB")
                        .hasSize(1);
                assertThat(g.log(LogFilter.all(10_000))).hasSizeLessThanOrEqualTo(20);
                assertWholeChain(g, 120);
            }
            cluster.stop("n2");
            cluster.startReplica("n2");
            cluster.waitForLeader();
            grant(cluster, 121, 150);
            cluster.awaitConverged();
            long last = cluster.get("n1").log(LogFilter.all(1)).get(0).index();
            for (RaftWatermarkGuard g : cluster.replicas()) {
                assertWholeChain(g, 150);
                assertThat(g.logHashAt(last)).isEqualTo(cluster.get("n1").logHashAt(last));
            }
        }
    }

    private static void grant(TestCluster cluster, int fromLevel, int toLevel) throws Exception {
        for (int level = fromLevel; level <= toLevel; level++) {
            GuardResult r = cluster.replicas()
                    .get(level % 3)
                    .reserve(reservation(WatermarkKind.BLOCK, level, 0, "op " + level), true, deadline())
                    .get(30, TimeUnit.SECONDS);
            assertThat(decide(r)).isInstanceOf(Decision.Granted.class);
        }
    }

    /** Every record from index 1 on, each linked to the one before, with one granted reservation per level. */
    private static void assertWholeChain(RaftWatermarkGuard g, int levels) {
        List<LogRecord> trail = g.log(LogFilter.all(10_000), true);
        String previous = LogRecordFormat.ZERO_HASH;
        long index = 0;
        for (LogRecord r : trail) {
            assertThat(r.previousHash()).as("link at index %d", r.index()).isEqualTo(previous);
            assertThat(r.index()).isGreaterThan(index);
            previous = r.hash();
            index = r.index();
        }
        assertThat(trail.stream().filter(r -> r.entry().equals("reserve")).map(LogRecord::level))
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, levels)
                        .boxed()
                        .toList());
        assertThat(g.logHashAt(trail.get(0).index())).contains(trail.get(0).hash());
    }
}
