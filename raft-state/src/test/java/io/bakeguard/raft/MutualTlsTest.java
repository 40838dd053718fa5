package io.bakeguard.raft;

import static io.bakeguard.raft.GuardBasicsTest.decide;
import static io.bakeguard.raft.TestCluster.deadline;
import static io.bakeguard.raft.TestCluster.reservation;
import static org.assertj.core.api.Assertions.assertThat;

import io.bakeguard.core.watermark.Decision;
import io.bakeguard.core.watermark.WatermarkKind;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MutualTlsTest {

    @TempDir
    Path dir;

    @Test
    void replicasWithCertificatesOfTheClusterCaCommitAndAReplicaFromAnotherCaCannotTakePart() throws Exception {
        TestCertificates cluster = TestCertificates.authority("bakeguard-test-ca", dir.resolve("pki"));
        TestCertificates rogue = TestCertificates.authority("rogue-ca", dir.resolve("rogue"));
        Map<String, RaftTls> tls = new HashMap<>();
        tls.put("n1", cluster.issue("n1"));
        tls.put("n2", cluster.issue("n2"));
        // n3 is configured as a member, but its certificate comes from another CA.
        tls.put("n3", rogue.issue("n3"));

        try (TestCluster c = TestCluster.start(
                dir.resolve("data"), 3, RaftWatermarkGuard.Tuning.DEFAULTS, s -> s.withTls(tls.get(s.selfId())))) {
            c.waitForLeader();
            RaftWatermarkGuard n1 = c.get("n1");
            RaftWatermarkGuard n3 = c.get("n3");
            for (int level = 1; level <= 5; level++) {
                assertThat(decide(n1.reserve(reservation(WatermarkKind.BLOCK, level, 0, "b" + level), true, deadline())
                                .get(30, TimeUnit.SECONDS)))
                        .isInstanceOf(Decision.Granted.class);
            }
            TestCluster.await("n2 applied", () -> c.get("n2").localWatermarks().equals(n1.localWatermarks()));
            assertThat(n1.status().role().equals("LEADER")
                            || c.get("n2").status().role().equals("LEADER"))
                    .as("the leader is one of the two replicas of the cluster CA")
                    .isTrue();

            // The rogue replica neither learns anything nor gets anything committed.
            GuardResult fromRogue = n3.reserve(
                            reservation(WatermarkKind.BLOCK, 100, 0, "rogue"),
                            true,
                            Instant.now().plusSeconds(2))
                    .get(30, TimeUnit.SECONDS);
            assertThat(fromRogue).isInstanceOf(GuardResult.NoQuorum.class);
            assertThat(n3.localWatermarks()).isEmpty();
            assertThat(n3.canCommitNow(500)).isFalse();

            // Without n2, n1 and the rogue replica are not a majority: nothing commits.
            c.stop("n2");
            GuardResult withoutN2 = n1.reserve(
                            reservation(WatermarkKind.BLOCK, 6, 0, "b6"),
                            true,
                            Instant.now().plusSeconds(2))
                    .get(30, TimeUnit.SECONDS);
            assertThat(withoutN2).isInstanceOf(GuardResult.NoQuorum.class);
            assertThat(n3.localWatermarks()).isEmpty();
            assertThat(n1.localWatermarks()
                            .get(TestCluster.bucket(WatermarkKind.BLOCK))
                            .level())
                    .isEqualTo(5);
        }
    }
}
