package io.bakeguard.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart (deploy/kubernetes/bakeguard) and its rendering in deploy/kubernetes/manifests: the
 * manifests follow the templates with the default values, and they hold the invariants a Raft signer
 * needs (stable identities, per-replica volumes, quorum-preserving disruption budget, zone spread,
 * probes on the admin API, monitoring, secrets mounted).
 */
class ChartTest {
    static Path chart;
    static Path manifestsDir;
    static JsonNode values;
    static List<JsonNode> manifests;

    @BeforeAll
    static void load() throws IOException {
        chart = DeployFiles.dir().resolve("kubernetes/bakeguard");
        manifestsDir = DeployFiles.dir().resolve("kubernetes/manifests");
        values = DeployFiles.yaml(chart.resolve("values.yaml"));
        manifests = new ArrayList<>();
        try (Stream<Path> files = Files.list(manifestsDir)) {
            for (Path f :
                    files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                manifests.addAll(DeployFiles.documents(f));
            }
        }
    }

    static List<JsonNode> ofKind(String kind) {
        return manifests.stream()
                .filter(m -> m.path("kind").asText().equals(kind))
                .toList();
    }

    static JsonNode one(String kind) {
        List<JsonNode> all = ofKind(kind);
        assertThat(all).as("exactly one %s in the manifests", kind).hasSize(1);
        return all.get(0);
    }

    static JsonNode statefulSet() {
        return one("StatefulSet");
    }

    static JsonNode container(String name) {
        for (JsonNode c :
                statefulSet().path("spec").path("template").path("spec").path("containers")) {
            if (c.path("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no container " + name);
    }

    static int containerPort(String name) {
        for (JsonNode p : container("bakeguard").path("ports")) {
            if (p.path("name").asText().equals(name)) {
                return p.path("containerPort").asInt();
            }
        }
        throw new AssertionError("no container port " + name);
    }

    static JsonNode config() {
        for (JsonNode cm : ofKind("ConfigMap")) {
            if (cm.path("data").has("bakeguard.yaml")) {
                return DeployFiles.yaml(cm.path("data").path("bakeguard.yaml").asText());
            }
        }
        throw new AssertionError("no ConfigMap with bakeguard.yaml");
    }

    // ------------------------------------------------------------------ chart <-> manifests

    @Test
    void everyTemplateHasItsRenderedManifestAndNoManifestLacksATemplate() throws IOException {
        Set<String> templates = new TreeSet<>();
        try (Stream<Path> s = Files.list(chart.resolve("templates"))) {
            s.map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith("_"))
                    .forEach(templates::add);
        }
        Set<String> rendered = new TreeSet<>();
        try (Stream<Path> s = Files.list(manifestsDir)) {
            s.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml"))
                    .forEach(rendered::add);
        }
        assertThat(rendered).isEqualTo(templates);
    }

    @Test
    void theManifestsAreTheChartRenderedWithItsDefaultValues() throws IOException {
        ChartRender render = new ChartRender(values, "bakeguard");
        Map<String, List<String>> problems = new TreeMap<>();
        try (Stream<Path> s = Files.list(chart.resolve("templates"))) {
            for (Path t :
                    s.filter(p -> !p.getFileName().toString().startsWith("_")).toList()) {
                List<String> manifest = Files.readAllLines(manifestsDir.resolve(t.getFileName())).stream()
                        .map(String::stripTrailing)
                        .filter(l -> !l.isBlank() && !l.equals("---") && !l.startsWith("# Source: "))
                        .toList();
                List<String> p = ChartRender.compare(render.render(Files.readString(t)), manifest);
                if (!p.isEmpty()) {
                    problems.put(t.getFileName().toString(), p);
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void theComparisonNoticesAManifestThatDriftedFromItsTemplate() throws IOException {
        ChartRender render = new ChartRender(values, "bakeguard");
        String template = Files.readString(chart.resolve("templates/poddisruptionbudget.yaml"));
        List<String> manifest = new ArrayList<>(Files.readAllLines(manifestsDir.resolve("poddisruptionbudget.yaml")));
        manifest.removeIf(l -> l.isBlank() || l.equals("---") || l.startsWith("# Source: "));
        assertThat(ChartRender.compare(render.render(template), manifest)).isEmpty();
        manifest.replaceAll(l -> l.replace("maxUnavailable: 1", "maxUnavailable: 2"));
        assertThat(ChartRender.compare(render.render(template), manifest))
                .singleElement()
                .asString()
                .contains("maxUnavailable");
    }

    @Test
    void theConfigChecksumAnnotationIsTheHashOfTheRenderedConfigMap() throws Exception {
        String text = Files.readString(manifestsDir.resolve("configmap.yaml"));
        // helm hashes the template's output: the document without the "---" and "# Source:" lines helm adds.
        String doc = text.substring(text.indexOf("apiVersion:"));
        String sum = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(doc.getBytes(StandardCharsets.UTF_8)));
        assertThat(statefulSet()
                        .path("spec")
                        .path("template")
                        .path("metadata")
                        .path("annotations")
                        .path("checksum/config")
                        .asText())
                .isEqualTo(sum);
    }

    // ------------------------------------------------------------------ invariants

    @Test
    void replicasAreAStatefulSetWithStableIdentitiesAndAVolumeEach() {
        JsonNode spec = statefulSet().path("spec");
        assertThat(spec.path("replicas").asInt())
                .isEqualTo(values.path("replicas").asInt())
                .isOdd();
        assertThat(spec.path("podManagementPolicy").asText()).isEqualTo("Parallel");
        JsonNode claims = spec.path("volumeClaimTemplates");
        assertThat(claims.size()).isEqualTo(1);
        String claim = claims.get(0).path("metadata").path("name").asText();
        assertThat(claims.get(0).path("spec").path("accessModes").toString()).contains("ReadWriteOnce");
        assertThat(claims.get(0)
                        .path("spec")
                        .path("resources")
                        .path("requests")
                        .path("storage")
                        .asText())
                .isEqualTo(values.path("persistence").path("size").asText());
        String dataDir = config().path("node").path("data-dir").asText();
        assertThat(container("bakeguard")
                        .path("volumeMounts")
                        .findValues("mountPath")
                        .toString())
                .contains("\"" + dataDir + "\"");
        boolean mounted = false;
        for (JsonNode m : container("bakeguard").path("volumeMounts")) {
            mounted |= m.path("name").asText().equals(claim)
                    && m.path("mountPath").asText().equals(dataDir);
        }
        assertThat(mounted)
                .as("the claim %s is mounted at the data dir %s", claim, dataDir)
                .isTrue();
        // node.id is the pod name, the stable identity the cluster list names.
        JsonNode env = container("bakeguard").path("env");
        assertThat(env.toString()).contains("BAKEGUARD_NODE_ID").contains("metadata.name");
    }

    @Test
    void raftPeersFindEachOtherThroughAHeadlessServiceEvenBeforeTheyAreReady() {
        String serviceName = statefulSet().path("spec").path("serviceName").asText();
        JsonNode headless = ofKind("Service").stream()
                .filter(s -> s.path("metadata").path("name").asText().equals(serviceName))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no Service named after the StatefulSet's serviceName"));
        assertThat(headless.path("spec").path("clusterIP").asText()).isEqualTo("None");
        assertThat(headless.path("spec").path("publishNotReadyAddresses").asBoolean())
                .isTrue();
        assertThat(headless.path("spec").path("ports").findValuesAsText("name")).contains("raft", "admin");
        // Every cluster entry is <pod>.<headless service>:<raft port>, one per replica.
        String sts = statefulSet().path("metadata").path("name").asText();
        JsonNode cluster = config().path("cluster");
        int replicas = values.path("replicas").asInt();
        assertThat(cluster.size()).isEqualTo(replicas);
        for (int i = 0; i < replicas; i++) {
            assertThat(cluster.get(i).path("id").asText()).isEqualTo(sts + "-" + i);
            assertThat(cluster.get(i).path("raft").asText())
                    .isEqualTo(sts + "-" + i + "." + serviceName + ":" + containerPort("raft"));
        }
    }

    @Test
    void eachReplicaHasItsOwnSignerServiceForItsBaker() {
        String sts = statefulSet().path("metadata").path("name").asText();
        int replicas = values.path("replicas").asInt();
        for (int i = 0; i < replicas; i++) {
            String pod = sts + "-" + i;
            List<JsonNode> matching = ofKind("Service").stream()
                    .filter(s -> s.path("spec")
                            .path("selector")
                            .path("statefulset.kubernetes.io/pod-name")
                            .asText()
                            .equals(pod))
                    .toList();
            assertThat(matching).as("a Service selecting pod %s", pod).hasSize(1);
            JsonNode port = matching.get(0).path("spec").path("ports").get(0);
            assertThat(port.path("targetPort").asText()).isEqualTo("signer");
            assertThat(port.path("port").asInt()).isEqualTo(containerPort("signer"));
        }
    }

    @Test
    void aDisruptionBudgetLetsOnlyOneReplicaGoAtATime() {
        JsonNode pdb = one("PodDisruptionBudget");
        assertThat(pdb.path("spec").path("maxUnavailable").asInt()).isEqualTo(1);
        assertThat(pdb.path("spec").path("minAvailable").isMissingNode()).isTrue();
        assertThat(pdb.path("spec").path("selector").path("matchLabels"))
                .isEqualTo(statefulSet().path("spec").path("selector").path("matchLabels"));
    }

    @Test
    void replicasAreSpreadAcrossZonesAndNodes() {
        JsonNode anti = statefulSet()
                .path("spec")
                .path("template")
                .path("spec")
                .path("affinity")
                .path("podAntiAffinity");
        List<String> required =
                anti.path("requiredDuringSchedulingIgnoredDuringExecution").findValuesAsText("topologyKey");
        assertThat(required).contains("topology.kubernetes.io/zone", "kubernetes.io/hostname");
        JsonNode podLabels =
                statefulSet().path("spec").path("template").path("metadata").path("labels");
        for (JsonNode term : anti.path("requiredDuringSchedulingIgnoredDuringExecution")) {
            term.path("labelSelector")
                    .path("matchLabels")
                    .fields()
                    .forEachRemaining(e -> assertThat(podLabels.path(e.getKey()).asText())
                            .isEqualTo(e.getValue().asText()));
        }
        assertThat(values.path("zoneAntiAffinity").asText()).isEqualTo("required");
    }

    @Test
    void readinessIsReadyzAndLivenessIsHealthzOnTheAdminPort() {
        JsonNode c = container("bakeguard");
        assertThat(c.path("readinessProbe").path("httpGet").path("path").asText())
                .isEqualTo("/readyz");
        assertThat(c.path("livenessProbe").path("httpGet").path("path").asText())
                .isEqualTo("/healthz");
        assertThat(c.path("readinessProbe").path("httpGet").path("port").asText())
                .isEqualTo("admin");
        assertThat(c.path("livenessProbe").path("httpGet").path("port").asText())
                .isEqualTo("admin");
        String adminListen = config().path("admin").path("listen").asText();
        assertThat(adminListen).isEqualTo("0.0.0.0:" + containerPort("admin"));
        assertThat(config().path("signer").path("listen").asText()).isEqualTo("0.0.0.0:" + containerPort("signer"));
        // Not loopback, so the admin API needs its token file (bakeguard refuses to start otherwise).
        assertThat(config().path("admin").path("token-file").asText()).startsWith("/etc/bakeguard/secrets/");
    }

    @Test
    void aServiceMonitorScrapesTheAdminPortOfEveryReplica() {
        JsonNode sm = one("ServiceMonitor");
        JsonNode selector = sm.path("spec").path("selector").path("matchLabels");
        List<JsonNode> selected = ofKind("Service").stream()
                .filter(s -> {
                    JsonNode labels = s.path("metadata").path("labels");
                    boolean all = true;
                    for (var it = selector.fields(); it.hasNext(); ) {
                        var e = it.next();
                        all &= labels.path(e.getKey())
                                .asText()
                                .equals(e.getValue().asText());
                    }
                    return all;
                })
                .toList();
        assertThat(selected)
                .as("the ServiceMonitor selects exactly the headless Service")
                .hasSize(1);
        assertThat(selected.get(0).path("spec").path("clusterIP").asText()).isEqualTo("None");
        JsonNode endpoint = sm.path("spec").path("endpoints").get(0);
        assertThat(endpoint.path("path").asText()).isEqualTo("/metrics");
        assertThat(selected.get(0).path("spec").path("ports").findValuesAsText("name"))
                .contains(endpoint.path("port").asText());
    }

    @Test
    void keysAndTheAdminTokenComeFromSecretsCopiedOwnerOnly() {
        JsonNode pod = statefulSet().path("spec").path("template").path("spec");
        Map<String, String> secretVolumes = new TreeMap<>();
        for (JsonNode v : pod.path("volumes")) {
            if (v.has("secret")) {
                secretVolumes.put(
                        v.path("name").asText(),
                        v.path("secret").path("secretName").asText());
            }
        }
        assertThat(secretVolumes.values())
                .contains(
                        values.path("keysSecret").asText(),
                        values.path("adminToken").path("secretName").asText());
        JsonNode init = pod.path("initContainers").get(0);
        assertThat(init.path("volumeMounts").findValuesAsText("name")).containsAll(secretVolumes.keySet());
        assertThat(init.path("args").toString()).contains("install -m 0600");
        // The copy is a memory volume mounted read-only in the replica, where the config points.
        JsonNode secretsVolume = null;
        for (JsonNode v : pod.path("volumes")) {
            if (v.path("name").asText().equals("secrets")) {
                secretsVolume = v;
            }
        }
        assertThat(secretsVolume).isNotNull();
        assertThat(secretsVolume.path("emptyDir").path("medium").asText()).isEqualTo("Memory");
        boolean mountedReadOnly = false;
        for (JsonNode m : container("bakeguard").path("volumeMounts")) {
            mountedReadOnly |= m.path("name").asText().equals("secrets")
                    && m.path("mountPath").asText().equals("/etc/bakeguard/secrets")
                    && m.path("readOnly").asBoolean();
        }
        assertThat(mountedReadOnly).isTrue();
        for (JsonNode k : config().path("keys")) {
            assertThat(k.path("secret-key-file").asText()).startsWith("/etc/bakeguard/secrets/keys/");
        }
        assertThat(config().path("keys")).isEqualTo(values.path("config").path("keys"));
    }

    @Test
    void theChartMountsTheSignerTlsSecretWhenTlsIsEnabled() throws IOException {
        String sts = Files.readString(chart.resolve("templates/statefulset.yaml"));
        String cm = Files.readString(chart.resolve("templates/configmap.yaml"));
        assertThat(sts).contains("secretName: {{ .Values.tls.secretName }}").contains("name: tls-in");
        assertThat(cm)
                .contains("tls: {certificate: /etc/bakeguard/secrets/tls/tls.crt, private-key:"
                        + " /etc/bakeguard/secrets/tls/tls.key}");
        ChartRender withTls = new ChartRender(
                ((com.fasterxml.jackson.databind.node.ObjectNode) values.deepCopy())
                        .set("tls", DeployFiles.yaml("enabled: true\nsecretName: my-tls\n")),
                "bakeguard");
        assertThat(withTls.render(sts).stream()
                        .filter(l -> !l.gap())
                        .map(l -> l.pattern().pattern()))
                .anyMatch(p -> p.contains("my-tls"));
    }

    @Test
    void podsRunAsTheImagesNonRootUserWithAReadOnlyRootFilesystem() {
        JsonNode sc = statefulSet().path("spec").path("template").path("spec").path("securityContext");
        assertThat(sc.path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(sc.path("runAsUser").asInt()).isEqualTo(10001);
        assertThat(sc.path("fsGroup").asInt()).isEqualTo(10001);
        JsonNode csc = container("bakeguard").path("securityContext");
        assertThat(csc.path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(csc.path("allowPrivilegeEscalation").asBoolean()).isFalse();
        assertThat(csc.path("capabilities").path("drop").toString()).contains("ALL");
    }
}
