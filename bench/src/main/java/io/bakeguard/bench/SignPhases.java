package io.bakeguard.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a replica's time per signing request went, from its {@code bakeguard_sign_duration_seconds}
 * histogram (design.md s.7; phases consensus, sign, total): the sums and counts of two scrapes of
 * {@code /metrics}, taken at the start and the end of a measured window, give each phase's mean over
 * the window. Set against the load tool's own latency, the difference is what the request spent
 * outside the signing service (HTTP, the connection, the client).
 */
final class SignPhases {
    /** Sum (seconds) and count of one phase, summed over the {@code kind} label. */
    record Tally(double sumSeconds, long count) {
        Tally minus(Tally o) {
            return new Tally(sumSeconds - o.sumSeconds, count - o.count);
        }

        double meanMs() {
            return count <= 0 ? Double.NaN : sumSeconds * 1000 / count;
        }
    }

    private static final Pattern LINE =
            Pattern.compile("^bakeguard_sign_duration_seconds_(sum|count)\\{([^}]*)\\}\\s+(\\S+)");
    private static final Pattern PHASE = Pattern.compile("(?:^|,)phase=\"([a-z]+)\"");

    private final Map<String, Tally> byPhase;

    private SignPhases(Map<String, Tally> byPhase) {
        this.byPhase = byPhase;
    }

    /** Parses Prometheus text; lines of other metrics are ignored. */
    static SignPhases parse(String prometheusText) {
        Map<String, double[]> acc = new LinkedHashMap<>();
        for (String line : prometheusText.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (!m.find()) {
                continue;
            }
            Matcher p = PHASE.matcher(m.group(2));
            if (!p.find()) {
                continue;
            }
            double v;
            try {
                v = Double.parseDouble(m.group(3));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("unreadable value in metrics line: " + line, e);
            }
            double[] a = acc.computeIfAbsent(p.group(1), k -> new double[2]);
            a[m.group(1).equals("sum") ? 0 : 1] += v;
        }
        Map<String, Tally> out = new LinkedHashMap<>();
        acc.forEach((phase, a) -> out.put(phase, new Tally(a[0], (long) a[1])));
        return new SignPhases(out);
    }

    Tally phase(String name) {
        return byPhase.getOrDefault(name, new Tally(0, 0));
    }

    /** What happened between an earlier scrape and this one. */
    SignPhases since(SignPhases earlier) {
        Map<String, Tally> out = new LinkedHashMap<>();
        byPhase.forEach((phase, t) -> out.put(phase, t.minus(earlier.phase(phase))));
        return new SignPhases(out);
    }

    /** One line: each phase's mean, and what the client saw beyond the service's total. */
    String text(double clientMeanMs) {
        double total = phase("total").meanMs();
        return String.format(
                Locale.ROOT,
                "  replica's phases, mean ms: consensus %.3f, sign %.3f, total in the signing service %.3f (%d"
                        + " requests); outside it (HTTP, authorized_keys, client) %.3f of the client's %.3f%n",
                phase("consensus").meanMs(),
                phase("sign").meanMs(),
                total,
                phase("total").count(),
                clientMeanMs - total,
                clientMeanMs);
    }

    void addTo(ObjectNode o) {
        ObjectNode p = o.putObject("replica_phase_mean_ms");
        byPhase.forEach((phase, t) -> p.put(phase, t.meanMs()));
        o.put("replica_phase_requests", phase("total").count());
    }
}
