package io.bakeguard.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deploy/prometheus: the alert rules and the compose Prometheus config. */
class PrometheusRulesTest {
    private static final Duration PROMTOOL_TIME = Duration.ofSeconds(60);

    private static Path promtool() {
        var p = Commands.which("promtool");
        assumeTrue(
                p.isPresent(),
                "promtool is not installed (apt-get install prometheus): skipping the promtool check;"
                        + " alertRulesAreWellFormed checks the same file's structure without it");
        return p.get();
    }

    @Test
    void promtoolAcceptsTheAlertRules() {
        Path promtool = promtool();
        Commands.Result r = Commands.run(
                PROMTOOL_TIME,
                promtool.toString(),
                "check",
                "rules",
                DeployFiles.file("prometheus/alerts.yml").toString());
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS");
    }

    @Test
    void promtoolRejectsABrokenRuleSoTheCheckAboveMeansSomething(@TempDir Path tmp) throws Exception {
        Path promtool = promtool();
        Path bad = tmp.resolve("bad.yml");
        Files.writeString(bad, "groups:\n  - name: x\n    rules:\n      - alert: Broken\n        expr: sum by (\n");
        Commands.Result r = Commands.run(PROMTOOL_TIME, promtool.toString(), "check", "rules", bad.toString());
        assertThat(r.exit()).as(r.output()).isNotZero();
    }

    @Test
    void promtoolAcceptsTheComposePrometheusConfigWithItsRules(@TempDir Path tmp) throws Exception {
        Path promtool = promtool();
        // The config names the rules where compose mounts them; point it at the repository's copy instead.
        String config = DeployFiles.text(DeployFiles.file("prometheus/prometheus.yml"));
        assertThat(config).contains("/etc/prometheus/alerts.yml");
        Path copy = tmp.resolve("prometheus.yml");
        Files.writeString(
                copy,
                config.replace(
                        "/etc/prometheus/alerts.yml",
                        DeployFiles.file("prometheus/alerts.yml").toString()));
        Commands.Result r = Commands.run(PROMTOOL_TIME, promtool.toString(), "check", "config", copy.toString());
        assertThat(r.exit()).as(r.output()).isZero();
        int rules = 0;
        for (JsonNode group :
                DeployFiles.yaml(DeployFiles.file("prometheus/alerts.yml")).path("groups")) {
            rules += group.path("rules").size();
        }
        assertThat(rules).isGreaterThan(0);
        assertThat(r.output()).contains("SUCCESS: " + rules + " rules found");
    }

    @Test
    void alertRulesAreWellFormed() {
        JsonNode groups =
                DeployFiles.yaml(DeployFiles.file("prometheus/alerts.yml")).path("groups");
        assertThat(groups.size()).isGreaterThan(0);
        Set<String> names = new HashSet<>();
        List<String> problems = new ArrayList<>();
        for (JsonNode g : groups) {
            for (JsonNode rule : g.path("rules")) {
                String name = rule.path("alert").asText();
                if (name.isEmpty() || !names.add(name)) {
                    problems.add("missing or repeated alert name: '" + name + "'");
                }
                if (!Set.of("critical", "warning", "info")
                        .contains(rule.path("labels").path("severity").asText())) {
                    problems.add(name + ": severity must be critical, warning or info");
                }
                if (rule.path("annotations").path("summary").asText().isBlank()
                        || rule.path("annotations").path("description").asText().isBlank()) {
                    problems.add(name + ": needs a summary and a description");
                }
                if (rule.path("expr").asText().isBlank()) {
                    problems.add(name + ": empty expr");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void theAlertsTheIssueAsksForAreAllThere() {
        List<String> exprs = PromQlNames.ruleExpressions(DeployFiles.file("prometheus/alerts.yml"));
        Set<String> names = new HashSet<>();
        for (JsonNode g :
                DeployFiles.yaml(DeployFiles.file("prometheus/alerts.yml")).path("groups")) {
            g.path("rules").forEach(r -> names.add(r.path("alert").asText()));
        }
        assertThat(names)
                .contains(
                        "BakeguardNoQuorum",
                        "BakeguardLeaderFlapping",
                        "BakeguardReplicaLagging",
                        "BakeguardWatermarkRefusals",
                        "BakeguardLedgerDisconnected",
                        "BakeguardDataDiskAlmostFull",
                        "BakeguardVolumeAlmostFull");
        assertThat(String.join("\n", exprs))
                .contains("bakeguard_raft_role == 2")
                .contains("result=\"refused_watermark\"")
                .contains("bakeguard_ledger_connected == 0")
                .contains("node_filesystem_avail_bytes")
                .contains("kubelet_volume_stats_available_bytes");
    }
}
