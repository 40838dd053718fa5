package io.bakeguard.raft;

import static io.bakeguard.raft.TestCluster.deadline;
import static io.bakeguard.raft.TestCluster.reservation;
import static org.assertj.core.api.Assertions.assertThat;

import io.bakeguard.core.watermark.Decision;
import io.bakeguard.core.watermark.Watermark;
import io.bakeguard.core.watermark.WatermarkKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConflictingReservationsTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} replicas")
    @ValueSource(ints = {1, 3, 5})
    void concurrentConflictingReservationsFromEveryReplicaGrantExactlyOneDigestPerLevelAndRound(int size)
            throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, size)) {
            cluster.waitForLeader();
            List<RaftWatermarkGuard> replicas = cluster.replicas();
            int threadsPerReplica = 3;
            for (int level = 100; level < 103; level++) {
                CountDownLatch go = new CountDownLatch(1);
                List<CompletableFuture<GuardResult>> results = new ArrayList<>();
                List<String> digests = new ArrayList<>();
                List<Thread> threads = new ArrayList<>();
                for (int r = 0; r < replicas.size(); r++) {
                    for (int t = 0; t < threadsPerReplica; t++) {
                        RaftWatermarkGuard g = replicas.get(r);
                        String bytes = "attestation " + level + " from replica " + r + " thread " + t;
                        CompletableFuture<GuardResult> f = new CompletableFuture<>();
                        results.add(f);
                        digests.add(TestCluster.digest(bytes));
                        int lvl = level;
                        Thread th = new Thread(() -> {
                            try {
                                go.await();
                                g.reserve(reservation(WatermarkKind.ATTESTATION, lvl, 0, bytes), true, deadline())
                                        .whenComplete((v, e) -> {
                                            if (e != null) {
                                                f.completeExceptionally(e);
                                            } else {
                                                f.complete(v);
                                            }
                                        });
                            } catch (InterruptedException e) {
                                f.completeExceptionally(e);
                            }
                        });
                        th.start();
                        threads.add(th);
                    }
                }
                go.countDown();
                List<GuardResult> outcomes = new ArrayList<>();
                for (CompletableFuture<GuardResult> f : results) {
                    outcomes.add(f.get(30, TimeUnit.SECONDS));
                }
                for (Thread th : threads) {
                    th.join(5_000);
                }
                assertThat(outcomes).allMatch(o -> o instanceof GuardResult.Decided, "every proposal is decided");
                List<Decision> decisions = outcomes.stream()
                        .map(o -> ((GuardResult.Decided) o).decision())
                        .collect(Collectors.toList());
                List<Decision.Granted> granted = decisions.stream()
                        .filter(d -> d instanceof Decision.Granted)
                        .map(d -> (Decision.Granted) d)
                        .collect(Collectors.toList());
                assertThat(granted).as("grants at level %d", level).hasSize(1);
                String winner = granted.get(0).mark().digestHex();
                assertThat(digests).contains(winner);
                assertThat(decisions.stream().filter(d -> d instanceof Decision.Refused))
                        .hasSize(decisions.size() - 1)
                        .allMatch(d -> ((Decision.Refused) d).reason() == Decision.Reason.DIFFERENT_DATA);
                String expected = "attestation level " + level + " and round 0 already signed with different data";
                assertThat(decisions.stream().filter(d -> d instanceof Decision.Refused))
                        .allMatch(d -> ((Decision.Refused) d).message().equals(expected));
                cluster.awaitConverged();
                for (RaftWatermarkGuard g : cluster.replicas()) {
                    Map<?, Watermark> local = g.localWatermarks();
                    assertThat(local.get(TestCluster.bucket(WatermarkKind.ATTESTATION)))
                            .isEqualTo(Watermark.unsigned(level, 0, winner));
                }
            }

            RaftWatermarkGuard any = replicas.get(replicas.size() - 1);
            GuardResult higherRound = any.reserve(
                            reservation(WatermarkKind.ATTESTATION, 102, 1, "round one"), true, deadline())
                    .get(30, TimeUnit.SECONDS);
            assertThat(((GuardResult.Decided) higherRound).decision()).isInstanceOf(Decision.Granted.class);

            GuardResult lowerLevel = replicas.get(0)
                    .reserve(reservation(WatermarkKind.ATTESTATION, 101, 5, "old level"), true, deadline())
                    .get(30, TimeUnit.SECONDS);
            Decision refused = ((GuardResult.Decided) lowerLevel).decision();
            assertThat(refused).isInstanceOf(Decision.Refused.class);
            assertThat(((Decision.Refused) refused).message())
                    .isEqualTo("attestation level 101 below high watermark 102");

            GuardResult lowerRound = replicas.get(0)
                    .reserve(reservation(WatermarkKind.ATTESTATION, 102, 0, "round zero again"), true, deadline())
                    .get(30, TimeUnit.SECONDS);
            assertThat(((Decision.Refused) ((GuardResult.Decided) lowerRound).decision()).message())
                    .isEqualTo("attestation level 102 and round 0 not above high watermark (102,1)");
        }
    }
}
