package io.bakeguard.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The CPU time that named processes (the replicas, the load tool, etcd) and the whole machine used
 * over a measured window: the profile that says whether a run was CPU-bound and who spent the CPU.
 * Per process from {@link ProcessHandle.Info#totalCpuDuration()} (user + system time, all threads);
 * for the machine from the first line of {@code /proc/stat}, as shares of all CPU time in the window
 * times the number of CPUs, so that no clock-tick rate is assumed. Steal time is reported apart: on a
 * virtual machine it is CPU the host gave to someone else, and it makes figures noisy.
 */
final class CpuWindow {
    /** What one window measured. {@code cpuSeconds} is per process, in the order given. */
    record Usage(double seconds, Map<String, Double> cpuSeconds, Optional<MachineShare> machine) {
        double totalCpuSeconds() {
            return cpuSeconds.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        /** Milliseconds of CPU per operation, for one process or (name null) all of them. */
        double msPerOp(String name, long ops) {
            double s = name == null ? totalCpuSeconds() : cpuSeconds.getOrDefault(name, Double.NaN);
            return ops <= 0 ? Double.NaN : s * 1000 / ops;
        }

        String text(long ops) {
            StringBuilder sb = new StringBuilder("  cpu:");
            cpuSeconds.forEach((name, s) ->
                    sb.append(String.format(Locale.ROOT, " %s %.2f s (%.3f ms/op),", name, s, msPerOp(name, ops))));
            sb.append(String.format(
                    Locale.ROOT,
                    " together %.2f cores busy, %.3f ms of CPU per op",
                    seconds <= 0 ? Double.NaN : totalCpuSeconds() / seconds,
                    msPerOp(null, ops)));
            machine.ifPresent(m -> sb.append(String.format(
                    Locale.ROOT,
                    "; machine: %.2f of %d cores busy, %.2f stolen, %.2f idle",
                    m.busyCores(),
                    m.cpus(),
                    m.stealCores(),
                    m.idleCores())));
            return sb.append('\n').toString();
        }

        void addTo(ObjectNode o, long ops) {
            ObjectNode c = o.putObject("cpu");
            c.put("window_seconds", seconds);
            ObjectNode per = c.putObject("cpu_seconds");
            cpuSeconds.forEach(per::put);
            ObjectNode perOp = c.putObject("cpu_ms_per_op");
            cpuSeconds.keySet().forEach(name -> perOp.put(name, msPerOp(name, ops)));
            c.put("cpu_ms_per_op_total", msPerOp(null, ops));
            machine.ifPresent(m -> {
                c.put("machine_cpus", m.cpus());
                c.put("machine_busy_cores", m.busyCores());
                c.put("machine_steal_cores", m.stealCores());
                c.put("machine_idle_cores", m.idleCores());
            });
        }
    }

    /** The machine's CPU time in a window, in cores (share of all CPU time times the CPU count). */
    record MachineShare(int cpus, double busyCores, double stealCores, double idleCores) {}

    /** The aggregate {@code cpu} line of /proc/stat and how many CPUs it covers. */
    record StatSample(long busy, long steal, long idle, int cpus) {
        /** Parses /proc/stat: user nice system idle iowait irq softirq steal [guest guest_nice]. */
        static StatSample parse(String procStat) {
            long busy = -1;
            long steal = 0;
            long idle = 0;
            int cpus = 0;
            for (String line : procStat.split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f[0].equals("cpu")) {
                    if (f.length < 8) {
                        throw new IllegalArgumentException("/proc/stat: short cpu line: " + line);
                    }
                    long[] v = new long[Math.min(f.length - 1, 8)];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = Long.parseLong(f[i + 1]);
                    }
                    // guest time is already inside user time, so it is not added again.
                    busy = v[0] + v[1] + v[2] + v[5] + v[6];
                    idle = v[3] + v[4];
                    steal = v.length > 7 ? v[7] : 0;
                } else if (f[0].matches("cpu[0-9]+")) {
                    cpus++;
                }
            }
            if (busy < 0 || cpus == 0) {
                throw new IllegalArgumentException("/proc/stat: no aggregate cpu line or no per-cpu lines");
            }
            return new StatSample(busy, steal, idle, cpus);
        }

        MachineShare since(StatSample before) {
            double b = busy - before.busy;
            double s = steal - before.steal;
            double i = idle - before.idle;
            double all = b + s + i;
            if (all <= 0) {
                return new MachineShare(cpus, Double.NaN, Double.NaN, Double.NaN);
            }
            return new MachineShare(cpus, cpus * b / all, cpus * s / all, cpus * i / all);
        }
    }

    private final Map<String, ProcessHandle> processes;
    private final Map<String, Duration> startCpu = new LinkedHashMap<>();
    private Optional<StatSample> startStat = Optional.empty();
    private long startNanos;

    /** @param processes by name, in the order to report them */
    CpuWindow(Map<String, ProcessHandle> processes) {
        this.processes = new LinkedHashMap<>(processes);
    }

    /** The CPU time a process has used so far; zero where the system does not report it. */
    static Duration cpu(ProcessHandle p) {
        return p.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    private static Optional<StatSample> machine() {
        try {
            return Optional.of(StatSample.parse(Files.readString(Path.of("/proc/stat"))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // not Linux: per-process figures only
        }
    }

    void begin() {
        startNanos = System.nanoTime();
        startStat = machine();
        processes.forEach((name, p) -> startCpu.put(name, cpu(p)));
    }

    Usage end() {
        if (startCpu.isEmpty() && !processes.isEmpty()) {
            throw new IllegalStateException("end() before begin()");
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        Map<String, Double> used = new LinkedHashMap<>();
        processes.forEach((name, p) -> used.put(name, (cpu(p).minus(startCpu.get(name))).toNanos() / 1e9));
        Optional<MachineShare> share = startStat.flatMap(s0 -> machine().map(s1 -> s1.since(s0)));
        return new Usage(seconds, used, share);
    }
}
