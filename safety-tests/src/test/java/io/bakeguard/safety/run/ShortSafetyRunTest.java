package io.bakeguard.safety.run;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The short fault-injection run of {@code ./mvnw verify}: 3 real replicas, fixed seed, about 75 s of
 * conflicting load with 15 faults of every type (safety-tests/pom.xml sets the defaults).
 */
@Tag("slow")
class ShortSafetyRunTest {
    @Test
    void noDoubleSignatureNoRegressionNoMinorityGrantUnderFaults() throws Exception {
        ClusterRuns.assumeServeAvailable();
        ClusterRuns.runAndAssertSafe(RunSettings.fromProperties(System.getProperties()));
    }
}
