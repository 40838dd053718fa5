package io.bakeguard.safety.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bakeguard.testkit.ServeJvm;

/** Shared by the short and the long run tests. */
final class ClusterRuns {
    private ClusterRuns() {}

    /** Skips, saying why, when the bakeguard command is not on the classpath (http-api not built yet). */
    static void assumeServeAvailable() {
        boolean present;
        try {
            Class.forName(ServeJvm.MAIN_CLASS, false, ClusterRuns.class.getClassLoader());
            present = true;
        } catch (ClassNotFoundException e) {
            present = false;
        }
        assumeTrue(
                present,
                "the bakeguard command (" + ServeJvm.MAIN_CLASS + ", module http-api) is not on the"
                        + " classpath, so no replica can be started; the checker's unit tests are the runnable twin");
    }

    static void runAndAssertSafe(RunSettings settings) throws Exception {
        SafetyRun.Result r = new SafetyRun(settings).execute();
        assertThat(r.verdict().safe())
                .as("%s%nrun directory: %s", r.report().text(), r.runDir())
                .isTrue();
        assertThat(r.verdict().signaturesVerified())
                .as("a run that signed nothing proves nothing: %s", r.report().text())
                .isPositive();
    }
}
