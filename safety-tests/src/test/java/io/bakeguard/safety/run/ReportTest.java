package io.bakeguard.safety.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bakeguard.safety.history.FaultEvent;
import io.bakeguard.safety.history.FaultType;
import io.bakeguard.safety.history.Op;
import io.bakeguard.safety.history.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReportTest {
    private static Op op(long id, int level, String digest, long start, long end, Outcome o) {
        return new Op(
                id, 0, "n1", "tz1x", "NetXdQprcVkpaWU", "attestation", level, 0, digest, "00", start, end, 0, 0, o);
    }

    private static FaultEvent fault(long start, boolean leaderLost) {
        return new FaultEvent(
                0,
                FaultType.KILL_LEADER,
                List.of("n1"),
                start,
                start + 1_000,
                Optional.of("n1"),
                leaderLost,
                Set.of(),
                "",
                -1);
    }

    @Test
    void failoverRunsFromLeaderLossToTheFirstSignatureForARequestSentAfterIt() {
        Outcome sig = new Outcome.Signed("edsig");
        List<Op> ops = List.of(
                op(0, 1, "a", 900_000, 1_100_000, sig), // sent before the loss: does not count
                op(1, 2, "b", 1_200_000, 3_000_000, sig),
                op(2, 3, "c", 1_500_000, 2_500_000, sig), // sent later but answered first
                op(3, 4, "d", 1_300_000, 1_400_000, new Outcome.NoQuorum("")));

        List<Long> f =
                Report.millis(Report.failovers(ops, List.of(fault(1_000_000, true), fault(1_000_000, false))), false);

        assertThat(f).containsExactly(1_500L);
    }

    @Test
    void anUninterruptedFailoverHasNoOtherFaultBetweenTheLossAndTheFirstSignature() {
        Outcome sig = new Outcome.Signed("edsig");
        List<Op> ops = List.of(
                op(0, 1, "a", 1_100_000, 1_400_000, sig), // first signature after the fault at 1.0 s
                op(1, 2, "b", 5_100_000, 9_000_000, sig)); // first after the fault at 5.0 s; a fault at 6.0 s meanwhile
        List<FaultEvent> faults = List.of(fault(1_000_000, true), fault(5_000_000, true), fault(6_000_000, false));

        List<Report.Failover> all = Report.failovers(ops, faults);

        assertThat(Report.millis(all, false)).containsExactly(400L, 4_000L);
        assertThat(Report.millis(all, true)).containsExactly(400L);
        assertThat(all).extracting(Report.Failover::interrupted).containsExactly(false, true);
        assertThat(Report.uninterruptedByType(all)).containsOnlyKeys(FaultType.KILL_LEADER);
        assertThat(Report.uninterruptedByType(all).get(FaultType.KILL_LEADER)).containsExactly(400L);
    }

    @Test
    void longestGapIsMeasuredBetweenConsecutiveSignatures() {
        Outcome sig = new Outcome.Signed("edsig");
        List<Op> ops = List.of(
                op(0, 1, "a", 0, 1_000_000, sig),
                op(1, 2, "b", 0, 4_000_000, new Outcome.NoQuorum("")),
                op(2, 3, "c", 0, 6_000_000, sig),
                op(3, 4, "d", 0, 6_500_000, sig));

        assertThat(Report.longestGapWithoutSignatureMillis(ops)).isEqualTo(5_000);
    }

    @Test
    void percentilesUseTheNearestRank() {
        List<Long> sorted = List.of(10L, 20L, 30L, 40L, 50L, 60L, 70L, 80L, 90L, 100L);
        assertThat(Report.percentile(sorted, 50)).isEqualTo(50);
        assertThat(Report.percentile(sorted, 99)).isEqualTo(100);
        assertThat(Report.percentile(List.of(), 99)).isZero();
    }

    @Test
    void conflictingRequestsAreThoseForSlotsThatSawTwoPayloads() {
        Outcome r = new Outcome.Refused(409, "");
        List<Op> ops = List.of(
                op(0, 1, "a", 0, 1, r),
                op(1, 1, "b", 0, 1, r),
                op(2, 1, "a", 0, 1, r),
                op(3, 2, "c", 0, 1, r),
                op(4, 2, "c", 0, 1, r));

        assertThat(Report.conflictingRequests(ops)).isEqualTo(3);
    }

    @Test
    void settingsComeFromSystemPropertiesWithClearErrors() {
        Properties p = new Properties();
        p.setProperty("safety.replicas", "5");
        p.setProperty("safety.duration", "20m");
        p.setProperty("safety.seed", "7");
        p.setProperty("safety.faults", "500");
        RunSettings s = RunSettings.fromProperties(p);
        assertThat(s.replicas()).isEqualTo(5);
        assertThat(s.duration()).isEqualTo(Duration.ofMinutes(20));
        assertThat(s.faults()).isEqualTo(500);
        assertThat(s.runName()).isEqualTo("run-5r-seed7");

        p.setProperty("safety.replicas", "4");
        assertThatThrownBy(() -> RunSettings.fromProperties(p)).hasMessageContaining("3 or 5");
        p.setProperty("safety.replicas", "3");
        p.setProperty("safety.duration", "ten minutes");
        assertThatThrownBy(() -> RunSettings.fromProperties(p)).hasMessageContaining("75s");
    }
}
