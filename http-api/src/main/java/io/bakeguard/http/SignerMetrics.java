package io.bakeguard.http;

import io.bakeguard.core.watermark.BucketKey;
import io.bakeguard.core.watermark.Watermark;
import io.bakeguard.raft.ClusterStatus;
import io.bakeguard.raft.WatermarkGuard;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Every metric of design.md s.7, registered in one Prometheus registry per replica. Names are
 * Micrometer names whose Prometheus rendering is the contract ({@code bakeguard.sign.requests}
 * becomes {@code bakeguard_sign_requests_total}).
 */
public final class SignerMetrics implements AutoCloseable {
    /** {@code result} label values of {@code bakeguard_sign_requests_total}. */
    public enum Result {
        SIGNED("signed"),
        REFUSED_WATERMARK("refused_watermark"),
        REFUSED_POLICY("refused_policy"),
        NO_QUORUM("no_quorum"),
        ERROR("error");

        private final String label;

        Result(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** {@code phase} label values of {@code bakeguard_sign_duration_seconds}. */
    public enum Phase {
        CONSENSUS,
        SIGN,
        TOTAL;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final Duration[] BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5)
    };

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<BucketKey, AtomicInteger[]> watermarkGauges = new ConcurrentHashMap<>();
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public SignerMetrics() {
        // Two binder meters that `promtool check metrics` rejects by name (an abbreviated unit, a
        // "_count" gauge); the same facts are in process_cpu_usage and jvm_* metrics.
        registry.config()
                .meterFilter(MeterFilter.deny(id ->
                        id.getName().equals("process.cpu.time") || id.getName().equals("system.cpu.count")));
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    /** Registers the Raft gauges, read from the guard at each scrape. */
    public void bindGuard(WatermarkGuard guard, java.util.function.LongSupplier leaderChanges) {
        Gauge.builder("bakeguard.raft.role", guard, g -> roleValue(g.status()))
                .description("Raft role of this replica: 0 follower, 1 candidate, 2 leader")
                .strongReference(true)
                .register(registry);
        Gauge.builder("bakeguard.raft.term", guard, g -> g.status().term())
                .description("current Raft term")
                .register(registry);
        Gauge.builder("bakeguard.raft.commit.index", guard, g -> g.status().commitIndex())
                .description("highest Raft index known committed")
                .register(registry);
        Gauge.builder("bakeguard.raft.applied.index", guard, g -> g.status().appliedIndex())
                .description("highest Raft index applied to the watermark state machine")
                .register(registry);
        Gauge.builder(
                        "bakeguard.watermark.log.damaged",
                        guard,
                        g -> g.watermarkLogDamage().isPresent() ? 1 : 0)
                .description("1 when the background check found damage in this replica's watermark log (see the"
                        + " replica's log and /admin/status), else 0")
                .register(registry);
        // The guard is the state object: Micrometer holds it weakly, and the replica holds the guard.
        FunctionCounter.builder("bakeguard.raft.leader.changes", guard, g -> leaderChanges.getAsLong())
                .description("leader changes seen by this replica")
                .register(registry);
    }

    static double roleValue(ClusterStatus s) {
        return switch (s.role()) {
            case "LEADER" -> 2;
            case "CANDIDATE" -> 1;
            default -> 0;
        };
    }

    /** One signing decision. */
    public void request(String key, String kind, Result result) {
        Counter.builder("bakeguard.sign.requests")
                .description("signing requests by key, kind and result")
                .tags(Tags.of("key", key, "kind", kind, "result", result.label()))
                .register(registry)
                .increment();
    }

    public void duration(String kind, Phase phase, long nanos) {
        Timer.builder("bakeguard.sign.duration")
                .description("time spent per signing request phase")
                .tags("kind", kind, "phase", phase.label())
                .serviceLevelObjectives(BUCKETS)
                .register(registry)
                .record(Duration.ofNanos(nanos));
    }

    /** Sets the watermark gauges from a view of the buckets (local copy or linearizable read). */
    public void watermarks(Map<BucketKey, Watermark> marks) {
        marks.forEach((bucket, mark) -> {
            AtomicInteger[] g = watermarkGauges.computeIfAbsent(bucket, b -> {
                AtomicInteger level = new AtomicInteger();
                AtomicInteger round = new AtomicInteger();
                Tags tags = Tags.of(
                        "key",
                        b.keyHash(),
                        "chain",
                        b.chainId(),
                        "kind",
                        b.kind().octezName());
                Gauge.builder("bakeguard.watermark.level", level, AtomicInteger::get)
                        .description("level of the high watermark")
                        .tags(tags)
                        .register(registry);
                Gauge.builder("bakeguard.watermark.round", round, AtomicInteger::get)
                        .description("round of the high watermark")
                        .tags(tags)
                        .register(registry);
                return new AtomicInteger[] {level, round};
            });
            g[0].set(mark.level());
            g[1].set(mark.round());
        });
    }

    /** {@code bakeguard_ledger_connected{device}}: 1 while the device answers. */
    public void ledgerDevice(String device, BooleanSupplier connected) {
        Gauge.builder("bakeguard.ledger.connected", connected, c -> c.getAsBoolean() ? 1 : 0)
                .description("1 when the Ledger device is connected and answering")
                .strongReference(true)
                .tag("device", device)
                .register(registry);
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
