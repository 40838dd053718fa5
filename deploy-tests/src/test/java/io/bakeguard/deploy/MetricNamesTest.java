package io.bakeguard.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every metric the alert rules and the Grafana dashboard read exists on a live replica's /metrics
 * (design.md s.7), after one signature so that the request counters and histograms have series.
 */
class MetricNamesTest {
    /** Metrics that other exporters provide, with the exporter; deploy/prometheus/alerts.yml says the same. */
    static final Map<String, String> EXTERNAL = Map.of(
            "up", "Prometheus itself",
            "node_", "node_exporter (hosts and compose)",
            "kubelet_", "the kubelet (Kubernetes PersistentVolumeClaims)");

    /** Metrics registered only when the hardware exists; docs/deploy.md lists them. */
    static final Map<String, String> ONLY_WITH_HARDWARE =
            Map.of("bakeguard_ledger_connected", "registered per Ledger device of a ledger: key");

    @TempDir
    static Path dir;

    static LiveReplica replica;
    static Set<String> exposed;

    @BeforeAll
    static void startSignAndScrape() throws Exception {
        replica = LiveReplica.start(dir.resolve("n1"), TestKey.SECRET_KEY);
        var signed = replica.sign(TestKey.PUBLIC_KEY_HASH, LiveReplica.attestation("7a06a770", 100, 0, 1));
        assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);
        var refused = replica.sign(TestKey.PUBLIC_KEY_HASH, LiveReplica.attestation("7a06a770", 100, 0, 2));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        // The watermark gauges are refreshed from the state machine every few seconds: wait for them.
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        do {
            exposed = names(replica.get("/metrics").body());
            if (exposed.contains("bakeguard_watermark_level")) {
                break;
            }
            Thread.sleep(500);
        } while (System.nanoTime() < end);
    }

    @AfterAll
    static void stop() throws Exception {
        if (replica != null) {
            replica.close();
        }
    }

    /** Sample names and the names of {@code # TYPE} lines of a Prometheus text exposition. */
    static Set<String> names(String exposition) {
        Set<String> out = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                out.add(line.split(" ")[2]);
            } else if (!line.isBlank() && !line.startsWith("#")) {
                int end = line.length();
                for (char c : new char[] {'{', ' '}) {
                    int i = line.indexOf(c);
                    if (i > 0 && i < end) {
                        end = i;
                    }
                }
                out.add(line.substring(0, end));
            }
        }
        return out;
    }

    private static Map<String, String> missing(List<String> exprs) {
        Map<String, String> missing = new TreeMap<>();
        for (String expr : exprs) {
            for (String name : PromQlNames.of(expr)) {
                boolean external =
                        EXTERNAL.keySet().stream().anyMatch(p -> p.endsWith("_") ? name.startsWith(p) : name.equals(p));
                if (!external && !ONLY_WITH_HARDWARE.containsKey(name) && !exposed.contains(name)) {
                    missing.put(name, expr);
                }
            }
        }
        return missing;
    }

    @Test
    void everyMetricTheAlertRulesReadIsExposedByAReplica() {
        List<String> exprs = PromQlNames.ruleExpressions(DeployFiles.file("prometheus/alerts.yml"));
        assertThat(exprs).hasSizeGreaterThan(5);
        assertThat(missing(exprs))
                .as("metric -> expression, exposed: %s", exposed)
                .isEmpty();
    }

    @Test
    void everyMetricTheDashboardReadsIsExposedByAReplica() {
        List<String> exprs = PromQlNames.dashboardExpressions(DeployFiles.file("grafana/bakeguard.json"));
        assertThat(exprs).hasSizeGreaterThan(10);
        assertThat(missing(exprs))
                .as("metric -> expression, exposed: %s", exposed)
                .isEmpty();
    }

    @Test
    void theDesignsMetricsAreAllExposedAfterOneSignature() {
        assertThat(exposed)
                .contains(
                        "bakeguard_sign_requests_total",
                        "bakeguard_sign_duration_seconds_bucket",
                        "bakeguard_sign_duration_seconds_count",
                        "bakeguard_sign_duration_seconds_sum",
                        "bakeguard_watermark_level",
                        "bakeguard_watermark_round",
                        "bakeguard_raft_role",
                        "bakeguard_raft_term",
                        "bakeguard_raft_commit_index",
                        "bakeguard_raft_applied_index",
                        "bakeguard_raft_leader_changes_total",
                        "bakeguard_watermark_log_damaged");
    }

    @Test
    void metricsThatNeedHardwareAreDocumentedAsSuch() {
        String docs = DeployFiles.text(DeployFiles.dir().resolveSibling("docs").resolve("deploy.md"));
        List<String> undocumented = new ArrayList<>();
        ONLY_WITH_HARDWARE.keySet().forEach(m -> {
            if (!docs.contains(m)) {
                undocumented.add(m);
            }
        });
        assertThat(undocumented)
                .as("docs/deploy.md should say when these have no series")
                .isEmpty();
        EXTERNAL.keySet()
                .forEach(m -> assertThat(DeployFiles.text(DeployFiles.file("prometheus/alerts.yml")))
                        .as("alerts.yml names the exporter of " + m)
                        .contains(m.endsWith("_") ? m : "`" + m + "`"));
    }
}
