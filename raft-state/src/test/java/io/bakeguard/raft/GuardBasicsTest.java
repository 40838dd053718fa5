package io.bakeguard.raft;

import static io.bakeguard.raft.TestCluster.deadline;
import static io.bakeguard.raft.TestCluster.reservation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bakeguard.core.watermark.BucketKey;
import io.bakeguard.core.watermark.Decision;
import io.bakeguard.core.watermark.Floor;
import io.bakeguard.core.watermark.KeyChain;
import io.bakeguard.core.watermark.Reservation;
import io.bakeguard.core.watermark.Watermark;
import io.bakeguard.core.watermark.WatermarkKind;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuardBasicsTest {
    private static final String SIGNATURE =
            "sigTAzhy1HsZDLNETmuf9RuinhXRb5jvmscjCoPPBujWZgFmCFLffku7JXYtu8aYQFVHnCUghmd4t39RuR6ANV76bCCYTR9u";

    @TempDir
    Path dir;

    @Test
    void aRaftPortInUseIsAClearErrorNotAnExitOfTheJvm() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            PeerAddress self = new PeerAddress("n1", "127.0.0.1:" + taken.getLocalPort());
            // Ratis' gRPC server would call System.exit(1), ending this test JVM, had the check not refused first.
            assertThatThrownBy(
                            () -> RaftWatermarkGuard.start(ReplicaSettings.of("n1", dir.resolve("n1"), List.of(self))))
                    .isInstanceOf(IOException.class)
                    .hasMessage("cannot listen on " + self.raftAddress()
                            + " for Raft (replica n1): Address already in use");
        }
    }

    @Test
    void retriedIdenticalReservationIsGrantedThenRepeatedAndRecordedSignatureIsReturned() throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3)) {
            cluster.waitForLeader();
            RaftWatermarkGuard follower = cluster.replicas().get(0);
            Reservation r = reservation(WatermarkKind.BLOCK, 500, 0, "block 500");

            Decision first = decide(follower.reserve(r, true, deadline()).get(30, TimeUnit.SECONDS));
            Decision second = decide(
                    cluster.replicas().get(1).reserve(r, true, deadline()).get(30, TimeUnit.SECONDS));
            assertThat(first).isInstanceOf(Decision.Granted.class);
            assertThat(second).isInstanceOf(Decision.Repeat.class);
            assertThat(second.allowsSigning())
                    .as("a repeat without a stored signature may sign")
                    .isTrue();

            Decision recorded = decide(
                    follower.recordSignature(r.bucket(), r.level(), r.round(), r.digestHex(), SIGNATURE, deadline())
                            .get(30, TimeUnit.SECONDS));
            assertThat(recorded).isInstanceOf(Decision.Granted.class);

            Decision third = decide(
                    cluster.replicas().get(2).reserve(r, true, deadline()).get(30, TimeUnit.SECONDS));
            assertThat(third).isInstanceOf(Decision.Repeat.class);
            assertThat(((Decision.Repeat) third).storedSignature()).contains(SIGNATURE);
            assertThat(third.allowsSigning())
                    .as("the stored signature is returned, no key is touched")
                    .isFalse();

            Decision late = decide(
                    follower.recordSignature(r.bucket(), r.level(), r.round(), r.digestHex(), SIGNATURE, deadline())
                            .get(30, TimeUnit.SECONDS));
            assertThat(late).isInstanceOf(Decision.Refused.class);
        }
    }

    @Test
    void firstUseIsRefusedWithoutPolicyOrFloor() throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 1)) {
            cluster.waitForLeader();
            Decision d = decide(cluster.replicas()
                    .get(0)
                    .reserve(reservation(WatermarkKind.BLOCK, 1, 0, "x"), false, deadline())
                    .get(30, TimeUnit.SECONDS));
            assertThat(d).isInstanceOf(Decision.Refused.class);
            assertThat(((Decision.Refused) d).reason()).isEqualTo(Decision.Reason.FIRST_USE_NOT_ALLOWED);
            assertThat(cluster.replicas().get(0).localWatermarks()).isEmpty();
        }
    }

    @Test
    void floorsAndImportsOnlyMoveUpAndEveryDecisionIsLogged() throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 1)) {
            cluster.waitForLeader();
            RaftWatermarkGuard g = cluster.replicas().get(0);
            KeyChain kc = new KeyChain(TestCluster.KEY, TestCluster.CHAIN);
            BucketKey block = TestCluster.bucket(WatermarkKind.BLOCK);

            assertThat(decide(g.raiseFloor(kc, new Floor(100, Optional.of(2)), deadline())
                            .get(30, TimeUnit.SECONDS)))
                    .isInstanceOf(Decision.Granted.class);
            Decision lower = decide(
                    g.raiseFloor(kc, new Floor(100, Optional.of(1)), deadline()).get(30, TimeUnit.SECONDS));
            assertThat(((Decision.Refused) lower).reason()).isEqualTo(Decision.Reason.BELOW_FLOOR);
            // At or below the floor: refused even though first use is allowed.
            Decision covered = decide(g.reserve(reservation(WatermarkKind.BLOCK, 100, 2, "old"), true, deadline())
                    .get(30, TimeUnit.SECONDS));
            assertThat(((Decision.Refused) covered).message())
                    .isEqualTo("block level 100 and round 2 not above high watermark (100,2)");
            // Above the floor, a bucket with a floor needs no first-use policy.
            assertThat(decide(g.reserve(reservation(WatermarkKind.BLOCK, 100, 3, "new"), false, deadline())
                            .get(30, TimeUnit.SECONDS)))
                    .isInstanceOf(Decision.Granted.class);

            Map<BucketKey, Watermark> marks = Map.of(
                    block,
                    Watermark.unsigned(90, 0, TestCluster.digest("imported low")),
                    TestCluster.bucket(WatermarkKind.ATTESTATION),
                    Watermark.unsigned(150, 0, TestCluster.digest("imported high")));
            Decision imported = decide(g.importMarks(marks, deadline()).get(30, TimeUnit.SECONDS));
            assertThat(imported).isInstanceOf(Decision.Granted.class);
            Map<BucketKey, Watermark> now = g.watermarks().get(30, TimeUnit.SECONDS);
            assertThat(now.get(block).level())
                    .as("an import never lowers a bucket")
                    .isEqualTo(100);
            assertThat(now.get(TestCluster.bucket(WatermarkKind.ATTESTATION)).level())
                    .isEqualTo(150);
            Decision again = decide(g.importMarks(marks, deadline()).get(30, TimeUnit.SECONDS));
            assertThat(again).isInstanceOf(Decision.Refused.class);
            assertThat(g.floors().get(30, TimeUnit.SECONDS)).containsEntry(kc, new Floor(100, Optional.of(2)));

            decide(g.recordDecision(
                            TestCluster.KEY, "generic", "", false, "operation kind transaction not allowed", deadline())
                    .get(30, TimeUnit.SECONDS));
            List<String> decisions = g.log(LogFilter.all(100)).stream()
                    .map(r -> r.entry() + ":" + r.decision())
                    .collect(Collectors.toList());
            assertThat(decisions)
                    .containsExactly(
                            "floor:raised",
                            "floor:refused",
                            "reserve:refused",
                            "reserve:granted",
                            "import:raised",
                            "import:ignored",
                            "decision:refused");
            LogRecord policy = g.log(new LogFilter(
                            Optional.of(TestCluster.KEY),
                            Optional.of("generic"),
                            Optional.empty(),
                            Optional.empty(),
                            0,
                            10,
                            false))
                    .get(0);
            assertThat(policy.reason()).contains("operation kind transaction not allowed");
            assertThat(policy.proposer()).isEqualTo("n1");
        }
    }

    @Test
    void minorityAnswersNoQuorumByTheDeadlineAndGrantsNothing() throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3)) {
            String leader = cluster.waitForLeader();
            RaftWatermarkGuard g = cluster.get(leader);
            assertThat(decide(g.reserve(reservation(WatermarkKind.BLOCK, 10, 0, "ten"), true, deadline())
                            .get(30, TimeUnit.SECONDS)))
                    .isInstanceOf(Decision.Granted.class);
            cluster.awaitConverged();
            for (String id : java.util.List.copyOf(cluster.running.keySet())) {
                if (!id.equals(leader)) {
                    cluster.stop(id);
                }
            }
            for (int level = 11; level < 14; level++) {
                Instant deadline = Instant.now().plusMillis(1500);
                GuardResult result = g.reserve(
                                reservation(WatermarkKind.BLOCK, level, 0, "lvl " + level), true, deadline)
                        .get(30, TimeUnit.SECONDS);
                Instant answered = Instant.now();
                assertThat(result).isInstanceOf(GuardResult.NoQuorum.class);
                // Completion is driven by the deadline itself; the margin only absorbs scheduling delays
                // on a loaded machine (the retries alone would take about 30 s).
                assertThat(answered).isBefore(deadline.plusMillis(2000));
            }
            assertThat(g.canCommitNow(500)).isFalse();
            assertThat(g.localWatermarks()
                            .get(TestCluster.bucket(WatermarkKind.BLOCK))
                            .level())
                    .isEqualTo(10);
            GuardResult expired = g.reserve(
                            reservation(WatermarkKind.BLOCK, 20, 0, "late"),
                            true,
                            Instant.now().minusMillis(1))
                    .get(1, TimeUnit.SECONDS);
            assertThat(expired).isInstanceOf(GuardResult.NoQuorum.class);
            GuardResult farAway = g.reserve(reservation(WatermarkKind.BLOCK, 21, 0, "far"), true, Instant.MAX)
                    .get(60, TimeUnit.SECONDS);
            assertThat(farAway)
                    .as("a deadline at the end of time is still bounded")
                    .isInstanceOf(GuardResult.NoQuorum.class);
            assertThat(Optional.of(((GuardResult.NoQuorum) expired).reason()))
                    .hasValueSatisfying(reason -> assertThat(reason).contains("deadline"));
        }
    }

    static Decision decide(GuardResult r) {
        assertThat(r).isInstanceOf(GuardResult.Decided.class);
        return ((GuardResult.Decided) r).decision();
    }
}
