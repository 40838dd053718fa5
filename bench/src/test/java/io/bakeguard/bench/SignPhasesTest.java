package io.bakeguard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SignPhasesTest {
    private static String sample() throws IOException {
        try (InputStream in = SignPhasesTest.class.getResourceAsStream("/metrics-sample.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void readsEachPhaseFromARealScrapeSummedOverKinds() throws IOException {
        SignPhases p = SignPhases.parse(sample());
        // consensus: attestation 3 + 5 ms, block 1 ms; total: attestation 4 + 6 ms, block 2 ms.
        assertThat(p.phase("consensus").count()).isEqualTo(3);
        assertThat(p.phase("consensus").meanMs()).isCloseTo(3.0, within(1e-9));
        assertThat(p.phase("total").count()).isEqualTo(3);
        assertThat(p.phase("total").meanMs()).isCloseTo(4.0, within(1e-9));
        assertThat(p.phase("sign").meanMs()).isCloseTo(0.04, within(1e-9));
    }

    @Test
    void theDifferenceOfTwoScrapesIsTheWindow() {
        SignPhases before = SignPhases.parse(lines(2, 0.004));
        SignPhases after = SignPhases.parse(lines(5, 0.013));
        SignPhases.Tally w = after.since(before).phase("total");
        assertThat(w.count()).isEqualTo(3);
        assertThat(w.meanMs()).isCloseTo(3.0, within(1e-9));
        assertThat(after.since(before).text(4.5))
                .contains("total in the signing service 3.000")
                .contains("1.500");
    }

    @Test
    void otherMetricsAndAMissingPhaseGiveNoFigureRatherThanAWrongOne() {
        SignPhases p = SignPhases.parse("jvm_threads_live_threads 12\n"
                + "bakeguard_sign_requests_total{key=\"k\",kind=\"attestation\",result=\"signed\"} 9\n"
                + "bakeguard_sign_duration_seconds_count{kind=\"attestation\"} 4\n");
        assertThat(p.phase("total").count()).isZero();
        assertThat(p.phase("total").meanMs()).isNaN();
    }

    @Test
    void anUnreadableValueIsAnErrorThatQuotesTheLine() {
        assertThatThrownBy(() ->
                        SignPhases.parse("bakeguard_sign_duration_seconds_sum{kind=\"a\",phase=\"total\"} lots\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("phase=\"total\"} lots");
    }

    private static String lines(long count, double sum) {
        return "bakeguard_sign_duration_seconds_count{kind=\"attestation\",phase=\"total\"} " + count + "\n"
                + "bakeguard_sign_duration_seconds_sum{kind=\"attestation\",phase=\"total\"} " + sum + "\n";
    }
}
