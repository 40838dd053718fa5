package io.bakeguard.raft;

import static io.bakeguard.raft.TestCluster.deadline;
import static io.bakeguard.raft.TestCluster.reservation;
import static org.assertj.core.api.Assertions.assertThat;

import io.bakeguard.core.watermark.Decision;
import io.bakeguard.core.watermark.Floor;
import io.bakeguard.core.watermark.KeyChain;
import io.bakeguard.core.watermark.WatermarkKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The leader submits its own proposals to its server; the others forward through a client. */
class LocalSubmitTest {

    @TempDir
    Path dir;

    @Test
    void theLeaderSubmitsLocallyAndAFollowerForwards() throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3)) {
            String leaderId = cluster.waitForLeader();
            RaftWatermarkGuard leader = cluster.get(leaderId);
            RaftWatermarkGuard follower = cluster.replicas().stream()
                    .filter(g -> g != leader)
                    .findFirst()
                    .orElseThrow();
            long before = leader.localSubmissions();
            for (int level = 10; level < 15; level++) {
                GuardResult r = leader.reserve(
                                reservation(WatermarkKind.BLOCK, level, 0, "b" + level), true, deadline())
                        .get(30, TimeUnit.SECONDS);
                assertThat(((GuardResult.Decided) r).decision()).isInstanceOf(Decision.Granted.class);
                GuardResult f = follower.reserve(
                                reservation(WatermarkKind.ATTESTATION, level, 0, "a" + level), true, deadline())
                        .get(30, TimeUnit.SECONDS);
                assertThat(((GuardResult.Decided) f).decision()).isInstanceOf(Decision.Granted.class);
            }
            assertThat(leader.localSubmissions() - before).isEqualTo(5);
            // Operator entries go through a client even on the leader (applied twice, the second copy is refused).
            GuardResult floor = leader.raiseFloor(
                            new KeyChain(TestCluster.KEY, TestCluster.CHAIN),
                            new Floor(20, Optional.empty()),
                            deadline())
                    .get(30, TimeUnit.SECONDS);
            assertThat(((GuardResult.Decided) floor).decision()).isInstanceOf(Decision.Granted.class);
            assertThat(leader.localSubmissions() - before).isEqualTo(5);
            assertThat(follower.localSubmissions()).isZero();
        }
    }

    /**
     * Proposals in flight on the leader when it hands leadership over are answered through a client; an entry that the
     * old leader had appended may then be applied twice, and the second copy is a repeat: one grant per level.
     */
    @Test
    void proposalsInFlightWhenLeadershipMovesAreEachDecidedWithOneGrantPerLevel() throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3)) {
            String leaderId = cluster.waitForLeader();
            RaftWatermarkGuard leader = cluster.get(leaderId);
            String target = cluster.peers.stream()
                    .map(PeerAddress::id)
                    .filter(id -> !id.equals(leaderId))
                    .findFirst()
                    .orElseThrow();
            List<CompletableFuture<GuardResult>> results = new ArrayList<>();
            CompletableFuture<Void> transfer = null;
            for (int level = 1000; level < 1600; level++) {
                results.add(leader.reserve(
                        reservation(WatermarkKind.ATTESTATION, level, 0, "attestation " + level), true, deadline()));
                if (level == 1100) {
                    transfer = leader.transferLeadership(target);
                }
            }
            transfer.get(60, TimeUnit.SECONDS);
            List<GuardResult> outcomes = new ArrayList<>();
            for (CompletableFuture<GuardResult> f : results) {
                outcomes.add(f.get(60, TimeUnit.SECONDS));
            }
            assertThat(outcomes).allMatch(o -> o instanceof GuardResult.Decided, "every proposal is decided");
            // Levels increase in proposal order, but the proposals overlap, so a later level can be applied first and
            // an earlier one is then refused: what matters is that no level is granted twice.
            cluster.awaitConverged();
            Map<Integer, Long> grantsPerLevel = leader.log(LogFilter.all(10_000)).stream()
                    .filter(r -> r.entry().equals("reserve") && r.decision().equals("granted"))
                    .collect(Collectors.groupingBy(LogRecord::level, Collectors.counting()));
            assertThat(grantsPerLevel.values()).allMatch(n -> n == 1, "at most one grant per level");
            // A caller told Granted has its level's one grant record (a caller whose entry was applied twice is told
            // Repeat or, when a higher level came between the copies, Refused: it signs nothing new).
            List<Integer> grantedLevels = new ArrayList<>();
            for (int i = 0; i < outcomes.size(); i++) {
                if (((GuardResult.Decided) outcomes.get(i)).decision() instanceof Decision.Granted) {
                    grantedLevels.add(1000 + i);
                }
            }
            assertThat(grantedLevels).isNotEmpty();
            assertThat(grantsPerLevel.keySet()).containsAll(grantedLevels);
        }
    }
}
