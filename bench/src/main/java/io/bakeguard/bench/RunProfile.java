package io.bakeguard.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * What the scenario runner records beside a run's latencies, over the run's measured window: the CPU
 * time of each process under test and of the machine ({@link CpuWindow}), and the signing phases of
 * the replica that took the load ({@link SignPhases}, from its admin API's {@code /metrics}). A scrape
 * that fails leaves the phases out and says why; it never fails the run.
 */
final class RunProfile implements LoadDriver.Window {
    private final CpuWindow cpu;
    private final Optional<URI> admin;
    private SignPhases before;
    private CpuWindow.Usage usage;
    private SignPhases phases;
    private String problem;

    /**
     * @param processes by name, in report order
     * @param admin the admin API of the replica whose phases to read, if any
     */
    RunProfile(Map<String, ProcessHandle> processes, Optional<URI> admin) {
        this.cpu = new CpuWindow(processes);
        this.admin = admin;
    }

    @Override
    public void begin() {
        before = scrape();
        cpu.begin();
    }

    @Override
    public void end() {
        usage = cpu.end();
        SignPhases after = scrape();
        if (before != null && after != null) {
            phases = after.since(before);
        }
    }

    private SignPhases scrape() {
        if (admin.isEmpty()) {
            return null;
        }
        try (HttpConnection c = new HttpConnection(admin.get(), 5000)) {
            HttpConnection.Response r = c.get("/metrics");
            if (r.status() != 200) {
                problem = "GET " + admin.get() + "/metrics answered " + r.status();
                return null;
            }
            return SignPhases.parse(r.body());
        } catch (IOException | RuntimeException e) {
            problem = "GET " + admin.get() + "/metrics failed: " + e.getMessage();
            return null;
        }
    }

    /** Lines for the run's text report (empty when the window never ended). */
    String text(Report r) {
        StringBuilder sb = new StringBuilder();
        if (usage != null) {
            sb.append(usage.text(r.ok()));
        }
        if (phases != null) {
            sb.append(phases.text(
                    r.total().getTotalCount() == 0 ? Double.NaN : r.total().getMean() / 1000.0));
        } else if (problem != null) {
            sb.append("  replica's phases not read: ").append(problem).append('\n');
        }
        return sb.toString();
    }

    void addTo(ObjectNode o, Report r) {
        if (usage != null) {
            usage.addTo(o, r.ok());
        }
        if (phases != null) {
            phases.addTo(o);
        }
    }

    Optional<CpuWindow.Usage> usage() {
        return Optional.ofNullable(usage);
    }
}
