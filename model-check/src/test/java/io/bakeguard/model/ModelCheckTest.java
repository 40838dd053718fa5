package io.bakeguard.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model-checks docs/model/Bakeguard.tla with TLC: the small configurations in every build, the
 * weakened rule as a mutant that TLC must reject, and the large configuration under the tag
 * "long" ({@code -Pmodel-long}).
 */
class ModelCheckTest {

    @TempDir
    Path work;

    @Test
    void smallConfigurationKeepsEverySafetyInvariantAndActionProperty() throws IOException {
        Tlc.Result r = check("Bakeguard.tla", "Bakeguard.cfg", "1g");

        assertThat(r.output()).as(Tlc.tail(r.output())).contains(Tlc.NO_ERROR);
        assertThat(r.exitCode()).isZero();
        // The configuration names every property; TLC would stop on a name it does not know.
        assertThat(r.distinctStates()).as("distinct states explored").isGreaterThan(10_000);
    }

    @Test
    void stableMajorityEventuallyDecidesEveryFreshRequest() throws IOException {
        Tlc.Result r = check("Bakeguard.tla", "BakeguardLiveness.cfg", "1g");

        assertThat(r.output()).as(Tlc.tail(r.output())).contains(Tlc.NO_ERROR);
        assertThat(r.output()).contains("temporal properties for the complete state space");
        assertThat(r.exitCode()).isZero();
        assertThat(r.distinctStates()).as("distinct states explored").isGreaterThan(1_000);
    }

    @Test
    void repeatRuleThatAcceptsOtherBytesAtTheSameRoundIsCaughtAsDoubleSign() throws IOException {
        Tlc.Result r = check("BakeguardMutant.tla", "BakeguardMutant.cfg", "1g");

        assertThat(r.output()).as(Tlc.tail(r.output())).contains("Invariant NoDoubleSign is violated");
        assertThat(r.output()).contains("The behavior up to this point is:");
        assertThat(r.output()).doesNotContain(Tlc.NO_ERROR);
        assertThat(r.exitCode()).isNotZero();
    }

    @Test
    void signingIsReachableWithinTheSmallBounds() throws IOException {
        // The safety invariants must not hold merely because nothing is ever signed.
        Tlc.Result r = check("BakeguardMutant.tla", "BakeguardReach.cfg", "1g");

        assertThat(r.output()).as(Tlc.tail(r.output())).contains("Invariant SignsNothing is violated");
        assertThat(r.output()).containsPattern("State [0-9]+: <Sign ");
        assertThat(r.exitCode()).isNotZero();
    }

    @Test
    void livenessFailsWhenRaftMayStopCommittingWhileAMajorityIsUp() throws IOException {
        // The same liveness configuration without fairness on commits: TLC must find a behaviour
        // in which a request on the majority side is never decided. Shows the property can fail.
        Tlc.Result r = check("BakeguardMutant.tla", "BakeguardNoFairness.cfg", "1g");

        assertThat(r.output())
                .as(Tlc.tail(r.output()))
                .contains("Temporal properties were violated")
                .contains("The following behavior constitutes a counter-example");
        assertThat(r.exitCode()).isNotZero();
    }

    @Test
    @Tag("long")
    void largeConfigurationWithFloorRaiseAndNoFirstUseKeepsEverySafetyProperty() throws IOException {
        Tlc.Result r = check("Bakeguard.tla", "BakeguardLong.cfg", "3g");

        assertThat(r.output()).as(Tlc.tail(r.output())).contains(Tlc.NO_ERROR);
        assertThat(r.exitCode()).isZero();
    }

    @Test
    @Tag("long")
    void stableMajorityDecidesConflictingRequestsToo() throws IOException {
        Tlc.Result r = check("Bakeguard.tla", "BakeguardLivenessLong.cfg", "3g");

        assertThat(r.output()).as(Tlc.tail(r.output())).contains(Tlc.NO_ERROR);
        assertThat(r.exitCode()).isZero();
    }

    private Tlc.Result check(String spec, String cfg, String heap) throws IOException {
        Tlc.copyModel(work);
        return Tlc.run(work, spec, cfg, 2, heap);
    }
}
