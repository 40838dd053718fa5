package io.bakeguard.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * deploy/compose: three replicas that form one cluster, Prometheus scraping them with the alert rules,
 * Grafana provisioned with the dashboard. (Prometheus and Grafana images need a registry: they are
 * checked here, not run.)
 */
class ComposeTest {
    static final Path DIR = DeployFiles.dir().resolve("compose");

    /** compose.yaml with anchors and merge keys resolved (SnakeYAML does; Jackson's YAML reader does not). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> compose() {
        Object doc = new Yaml().load(DeployFiles.text(DIR.resolve("compose.yaml")));
        return (Map<String, Object>) doc;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> service(String name) {
        Map<String, Object> services = (Map<String, Object>) compose().get("services");
        assertThat(services).containsKey(name);
        return (Map<String, Object>) services.get(name);
    }

    @SuppressWarnings("unchecked")
    static List<String> list(Map<String, Object> service, String key) {
        return (List<String>) service.getOrDefault(key, List.of());
    }

    @Test
    void threeReplicasFormTheClusterTheirConfigNames() {
        JsonNode config = DeployFiles.yaml(DIR.resolve("bakeguard.yaml"));
        JsonNode cluster = config.path("cluster");
        assertThat(cluster.size()).isEqualTo(3);
        Set<String> dataVolumes = new HashSet<>();
        Set<String> published = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            String name = "bakeguard-" + (i + 1);
            Map<String, Object> s = service(name);
            @SuppressWarnings("unchecked")
            Map<String, Object> env = (Map<String, Object>) s.get("environment");
            assertThat(env.get("BAKEGUARD_NODE_ID"))
                    .isEqualTo(cluster.get(i).path("id").asText());
            assertThat(cluster.get(i).path("raft").asText()).isEqualTo(s.get("hostname") + ":9870");
            assertThat(s.get("image").toString()).contains("bakeguard:local");
            assertThat(list(s, "volumes")).contains("./bakeguard.yaml:/etc/bakeguard/bakeguard.yaml:ro");
            list(s, "volumes").stream()
                    .filter(v -> v.endsWith(":/var/lib/bakeguard"))
                    .forEach(dataVolumes::add);
            for (String port : list(s, "ports")) {
                assertThat(port).as("published on loopback only").startsWith("127.0.0.1:");
                published.add(port.split(":")[1]);
            }
            assertThat(s).containsKey("healthcheck");
        }
        assertThat(dataVolumes).as("a data volume per replica").hasSize(3);
        assertThat(published).as("distinct host ports").hasSize(6);
        assertThat(config.path("node").path("data-dir").asText()).isEqualTo("/var/lib/bakeguard");
        // Listening beyond loopback inside the container, so the admin API needs its token.
        assertThat(config.path("admin").path("listen").asText()).isEqualTo("0.0.0.0:9583");
        assertThat(config.path("admin").path("token-file").asText()).startsWith("/etc/bakeguard/secrets/");
    }

    @Test
    void prometheusScrapesEveryReplicaAndLoadsTheAlertRules() {
        JsonNode prom = DeployFiles.yaml(DeployFiles.file("prometheus/prometheus.yml"));
        List<String> targets = new ArrayList<>();
        for (JsonNode job : prom.path("scrape_configs")) {
            if (job.path("job_name").asText().equals("bakeguard")) {
                job.path("static_configs").forEach(sc -> sc.path("targets").forEach(t -> targets.add(t.asText())));
            }
        }
        assertThat(targets).containsExactly("bakeguard-1:9583", "bakeguard-2:9583", "bakeguard-3:9583");
        assertThat(prom.path("rule_files").get(0).asText()).isEqualTo("/etc/prometheus/alerts.yml");
        assertThat(list(service("prometheus"), "volumes"))
                .contains(
                        "../prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro",
                        "../prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro");
    }

    @Test
    void grafanaIsProvisionedWithThePrometheusSourceAndTheDashboard() {
        for (String mount : list(service("grafana"), "volumes")) {
            String source = mount.split(":")[0];
            if (source.startsWith(".")) {
                assertThat(Files.exists(DIR.resolve(source).normalize()))
                        .as(mount)
                        .isTrue();
            }
        }
        JsonNode provider = DeployFiles.yaml(DeployFiles.file("grafana/provisioning/dashboards/bakeguard.yml"));
        String path =
                provider.path("providers").get(0).path("options").path("path").asText();
        assertThat(list(service("grafana"), "volumes")).anyMatch(v -> v.contains(":" + path + "/bakeguard.json"));
        JsonNode ds = DeployFiles.yaml(DeployFiles.file("grafana/provisioning/datasources/prometheus.yml"));
        assertThat(ds.path("datasources").get(0).path("url").asText()).isEqualTo("http://prometheus:9090");
        JsonNode dash = DeployFiles.json(DeployFiles.file("grafana/bakeguard.json"));
        assertThat(dash.path("uid").asText()).isEqualTo("bakeguard");
        assertThat(dash.toString())
                .contains("bakeguard_sign_duration_seconds_bucket")
                .contains("sum by (result) (rate(bakeguard_sign_requests_total")
                .contains("bakeguard_watermark_level")
                .contains("bakeguard_raft_role")
                .contains("bakeguard_raft_term")
                .contains("bakeguard_raft_commit_index")
                .contains("bakeguard_raft_applied_index");
    }

    @Test
    void theInitServiceLeavesTheSecretsToTheImagesUserOnly() {
        Map<String, Object> init = service("init");
        String script = String.join("\n", list(init, "command"));
        assertThat(script).contains("chown 10001:10001").contains("chmod 600");
        assertThat(list(service("bakeguard-1"), "volumes")).contains("secrets:/etc/bakeguard/secrets:ro");
    }
}
