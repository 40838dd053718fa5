package io.bakeguard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/** A run's figures, as a text block for people and a JSON document for scripts and the docs. */
record Report(
        String label,
        String backend,
        String targets,
        String mode,
        String kind,
        int keys,
        int concurrency,
        long ok,
        Map<String, Long> errors,
        double seconds,
        Histogram total,
        Histogram post,
        List<Double> burstMillis,
        String loadBefore,
        String loadAfter,
        Instant startedAt) {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    double throughput() {
        return seconds <= 0 ? 0 : ok / seconds;
    }

    /** Latency in milliseconds at a percentile of the whole signature (GET + POST for the signer API). */
    double ms(double percentile) {
        return ms(total, percentile);
    }

    static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
    }

    static double maxMs(Histogram h) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getMaxValue() / 1000.0;
    }

    /** The current one-minute load average, or "?" where /proc is not available. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    String text() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                Locale.ROOT,
                "%s: %s %s kind=%s keys=%d concurrency=%d targets=%s%n",
                label,
                backend,
                mode,
                kind,
                keys,
                concurrency,
                targets));
        sb.append(String.format(
                Locale.ROOT,
                "  ok=%d errors=%d %s in %.2f s: %.0f ops/s%n",
                ok,
                errorCount(),
                errors.isEmpty() ? "" : errors.toString(),
                seconds,
                throughput()));
        sb.append(line("latency", total));
        if ("bakeguard".equals(backend) || "floor".equals(backend)) {
            sb.append(line("POST only", post));
        }
        if (!burstMillis.isEmpty()) {
            sb.append("  burst completion ms: ");
            for (double b : burstMillis) {
                sb.append(String.format(Locale.ROOT, "%.1f ", b));
            }
            sb.append(String.format(Locale.ROOT, "(max %.1f)%n", maxBurst()));
        }
        sb.append("  load average before: ")
                .append(loadBefore)
                .append("  after: ")
                .append(loadAfter)
                .append('\n');
        return sb.toString();
    }

    double maxBurst() {
        return burstMillis.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    private static String line(String name, Histogram h) {
        return String.format(
                Locale.ROOT,
                "  %-9s ms: p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f  mean %.3f%n",
                name,
                ms(h, 50),
                ms(h, 90),
                ms(h, 99),
                ms(h, 99.9),
                maxMs(h),
                h.getTotalCount() == 0 ? Double.NaN : h.getMean() / 1000.0);
    }

    ObjectNode json() {
        ObjectNode o = JSON.createObjectNode();
        o.put("label", label);
        o.put("backend", backend);
        o.put("targets", targets);
        o.put("mode", mode);
        o.put("kind", kind);
        o.put("keys", keys);
        o.put("concurrency", concurrency);
        o.put("started_at", startedAt.toString());
        o.put("ok", ok);
        o.put("errors", errorCount());
        ObjectNode byKind = o.putObject("errors_by_kind");
        errors.forEach(byKind::put);
        o.put("seconds", seconds);
        o.put("throughput_ops_per_s", throughput());
        o.set("latency_ms", histogramJson(total));
        o.set("post_latency_ms", histogramJson(post));
        ArrayNode bursts = o.putArray("burst_completion_ms");
        burstMillis.forEach(bursts::add);
        o.put("load_average_before", loadBefore);
        o.put("load_average_after", loadAfter);
        return o;
    }

    private static ObjectNode histogramJson(Histogram h) {
        ObjectNode o = JSON.createObjectNode();
        o.put("count", h.getTotalCount());
        o.put("p50", ms(h, 50));
        o.put("p90", ms(h, 90));
        o.put("p99", ms(h, 99));
        o.put("p99_9", ms(h, 99.9));
        o.put("max", maxMs(h));
        o.put("mean", h.getTotalCount() == 0 ? Double.NaN : h.getMean() / 1000.0);
        // The whole histogram (microseconds), HdrHistogram's compressed encoding in base64, to re-plot.
        ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int n = h.encodeIntoCompressedByteBuffer(buf);
        o.put("hdr_base64", Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buf.array(), n)));
        return o;
    }

    void writeJson(Path file) throws IOException {
        writeJson(file, o -> {});
    }

    /** Writes the JSON document with more fields that {@code extra} adds (e.g. a run's CPU profile). */
    void writeJson(Path file, Consumer<ObjectNode> extra) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ObjectNode o = json();
        extra.accept(o);
        JSON.writeValue(file.toFile(), o);
    }
}
