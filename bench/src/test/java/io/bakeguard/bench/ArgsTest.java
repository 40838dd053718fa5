package io.bakeguard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ArgsTest {
    @Test
    void repeatedAndCommaSeparatedTargetsAreAllKept() {
        Args a = Args.parse(
                new String[] {"--target", "http://a:1,http://b:2", "--target=http://c:3"}, Set.of("target"), Set.of());
        assertThat(a.list("target")).containsExactly("http://a:1", "http://b:2", "http://c:3");
    }

    @Test
    void durationsTakeMillisecondsSecondsAndMinutes() {
        assertThat(Args.parseDuration("d", "250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Args.parseDuration("d", "1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Args.parseDuration("d", "2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Args.parseDuration("d", "3")).isEqualTo(Duration.ofSeconds(3));
        assertThatThrownBy(() -> Args.parseDuration("duration", "soon"))
                .hasMessageContaining("--duration must be a duration");
    }

    @Test
    void anUnknownOptionIsAnErrorThatNamesIt() {
        assertThatThrownBy(() -> Args.parse(new String[] {"--concurency", "8"}, Set.of("concurrency"), Set.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown option --concurency");
    }

    @Test
    void aNonNumericCountIsAnErrorThatNamesTheOption() {
        Args a = Args.parse(new String[] {"--keys", "many"}, Set.of("keys"), Set.of());
        assertThatThrownBy(() -> a.integer("keys", 1)).hasMessageContaining("--keys must be an integer");
    }

    @Test
    void moreBakersThanKeysIsRefused() {
        assertThatThrownBy(() -> new LoadDriver.Spec(
                        2,
                        3,
                        Duration.ofSeconds(1),
                        0,
                        Duration.ZERO,
                        ConsensusRequests.Kind.ATTESTATION,
                        1,
                        0,
                        0,
                        false))
                .hasMessageContaining("cannot exceed --keys");
    }

    @Test
    void theCommandExitsWith2AndOneLineOnAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Bench.run(
                new String[] {"load", "--target", "http://127.0.0.1:1"},
                new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err));
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString()).startsWith("bench: --key-list is required").hasLineCount(1);
        assertThat(List.of(err.toString())).isNotEmpty();
    }
}
