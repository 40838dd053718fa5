package io.bakeguard.safety.run;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The long run: {@code ./mvnw -Psafety-long verify -pl safety-tests -am -Dsafety.replicas=5
 * -Dsafety.duration=20m -Dsafety.faults=500 -Dsafety.seed=7}. Excluded from the default build (tag "long").
 */
@Tag("long")
class LongSafetyRunTest {
    @Test
    void noDoubleSignatureNoRegressionNoMinorityGrantUnderManyFaults() throws Exception {
        ClusterRuns.assumeServeAvailable();
        ClusterRuns.runAndAssertSafe(RunSettings.fromProperties(System.getProperties()));
    }
}
