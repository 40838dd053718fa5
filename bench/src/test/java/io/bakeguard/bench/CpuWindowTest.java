package io.bakeguard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CpuWindowTest {
    private static final String STAT_BEFORE = """
            cpu  1000 0 500 8000 100 0 0 50 0 0
            cpu0 500 0 250 4000 50 0 0 25 0 0
            cpu1 500 0 250 4000 50 0 0 25 0 0
            intr 12345
            ctxt 999
            """;
    // 400 ticks later per CPU (800 in all): 500 busy (user 300, system 150, irq 20, softirq 30), 100 stolen, 200 idle.
    private static final String STAT_AFTER = """
            cpu  1300 0 650 8150 150 20 30 150 0 0
            cpu0 650 0 325 4075 75 10 15 75 0 0
            cpu1 650 0 325 4075 75 10 15 75 0 0
            """;

    @Test
    void machineShareIsSplitIntoBusyStolenAndIdleCores() {
        CpuWindow.MachineShare m =
                CpuWindow.StatSample.parse(STAT_AFTER).since(CpuWindow.StatSample.parse(STAT_BEFORE));
        assertThat(m.cpus()).isEqualTo(2);
        assertThat(m.busyCores()).isCloseTo(2 * 500 / 800.0, within(1e-9));
        assertThat(m.stealCores()).isCloseTo(2 * 100 / 800.0, within(1e-9));
        assertThat(m.idleCores()).isCloseTo(2 * 200 / 800.0, within(1e-9));
    }

    @Test
    void aStatWithoutTheAggregateLineIsRefused() {
        assertThatThrownBy(() -> CpuWindow.StatSample.parse("cpu0 1 2 3 4 5 6 7 8\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/proc/stat");
        assertThatThrownBy(() -> CpuWindow.StatSample.parse("cpu 1 2 3\ncpu0 1 2 3 4 5 6 7 8\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("short cpu line");
    }

    @Test
    void cpuSpentByAThreadOfThisProcessIsCounted() {
        CpuWindow w = new CpuWindow(Map.of("this jvm", ProcessHandle.current()));
        w.begin();
        long x = 0;
        java.time.Duration start = CpuWindow.cpu(ProcessHandle.current());
        long until = System.nanoTime() + 10_000_000_000L; // bounded: at most 10 s of wall time
        while (System.nanoTime() < until
                && CpuWindow.cpu(ProcessHandle.current()).minus(start).toMillis() < 50) {
            for (int i = 0; i < 100_000; i++) {
                x += Long.numberOfTrailingZeros(x + i) + 1;
            }
        }
        CpuWindow.Usage u = w.end();
        assertThat(x).isPositive();
        assertThat(u.cpuSeconds().get("this jvm")).isPositive();
        assertThat(u.msPerOp("this jvm", 10)).isEqualTo(u.cpuSeconds().get("this jvm") * 100);
        assertThat(u.text(10)).contains("this jvm").contains("ms/op");
    }

    @Test
    void endBeforeBeginIsAnError() {
        CpuWindow w = new CpuWindow(Map.of("this jvm", ProcessHandle.current()));
        assertThatThrownBy(w::end).isInstanceOf(IllegalStateException.class);
    }
}
