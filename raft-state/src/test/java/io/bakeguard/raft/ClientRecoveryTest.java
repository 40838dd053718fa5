package io.bakeguard.raft;

import static io.bakeguard.raft.TestCluster.reservation;
import static org.assertj.core.api.Assertions.assertThat;

import io.bakeguard.core.watermark.Decision;
import io.bakeguard.core.watermark.WatermarkKind;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.protocol.exceptions.AlreadyClosedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica whose proposals used up every retry while the cluster had no majority must grant again
 * once the majority is back, without being restarted itself (the safety suite saw survivors answer
 * no-quorum after a failover until they were restarted: Ratis closes the ordered client's window).
 */
class ClientRecoveryTest {
    @TempDir
    Path dir;

    @Test
    void replicaGrantsAgainAfterItsRetriesRanOutWhileTheMajorityWasAway() throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3)) {
            String leader = cluster.waitForLeader();
            RaftWatermarkGuard g = cluster.get(leader);
            assertThat(GuardBasicsTest.decide(
                            g.reserve(reservation(WatermarkKind.ATTESTATION, 1, 0, "one"), true, TestCluster.deadline())
                                    .get(30, TimeUnit.SECONDS)))
                    .isInstanceOf(Decision.Granted.class);
            cluster.awaitConverged();
            List<String> others = cluster.running.keySet().stream()
                    .filter(id -> !id.equals(leader))
                    .toList();
            others.forEach(cluster::stop);

            // Far deadlines: the clients' own bounded retries end these, which is what closes their windows.
            // One request per proposal client (they are used in turn), so that every client's window closes.
            List<java.util.concurrent.CompletableFuture<GuardResult>> exhausted = new java.util.ArrayList<>();
            for (int i = 0; i < RaftWatermarkGuard.PROPOSAL_CLIENTS; i++) {
                exhausted.add(g.reserve(reservation(WatermarkKind.ATTESTATION, 2, i, "two " + i), true, Instant.MAX));
            }
            for (var f : exhausted) {
                assertThat(f.get(150, TimeUnit.SECONDS)).isInstanceOf(GuardResult.NoQuorum.class);
            }

            for (String id : others) {
                cluster.startReplica(id);
            }
            cluster.waitForLeader();
            GuardResult after = null;
            for (int attempt = 0; attempt < 10; attempt++) {
                after = g.reserve(
                                reservation(WatermarkKind.ATTESTATION, 3, attempt, "three " + attempt),
                                true,
                                Instant.now().plusSeconds(5))
                        .get(30, TimeUnit.SECONDS);
                if (after instanceof GuardResult.Decided) {
                    break;
                }
            }
            assertThat(after)
                    .as("the replica that ran out of retries grants again once a majority is back")
                    .isInstanceOf(GuardResult.Decided.class);
            assertThat(((GuardResult.Decided) after).decision()).isInstanceOf(Decision.Granted.class);
        }
    }

    @Test
    void closedWindowAndExhaustedRetriesAreRecognisedThroughWrappers() {
        assertThat(RaftWatermarkGuard.windowClosed(
                        new java.util.concurrent.CompletionException(new AlreadyClosedException("closed"))))
                .isTrue();
        assertThat(RaftWatermarkGuard.windowClosed(
                        new java.io.IOException("wrapped", new AlreadyClosedException("closed"))))
                .isTrue();
        assertThat(RaftWatermarkGuard.windowClosed(new java.io.IOException("other")))
                .isFalse();
        assertThat(RaftWatermarkGuard.windowClosed(null)).isFalse();
    }
}
