package io.bakeguard.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    static final String MINIMAL = """
            node: {id: n1, data-dir: data}
            cluster:
              - {id: n1, raft: 127.0.0.1:9870}
            keys:
              - secret-key-file: keys/baker.key
            """;

    @TempDir
    Path dir;

    Path write(String yaml) throws Exception {
        Path f = dir.resolve("bakeguard.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void defaultsMatchTheDesign() throws Exception {
        BakeguardConfig c = ConfigLoader.load(write(MINIMAL), Map.of());
        assertThat(c.signer().listen()).isEqualTo("0.0.0.0:6732");
        assertThat(c.admin().listen()).isEqualTo("127.0.0.1:9583");
        assertThat(c.signer().requestTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.signer().authorizedKeys()).isEmpty();
        assertThat(c.signer().allowKnownKeys()).isFalse();
        assertThat(c.keys().get(0).policy()).isEmpty();
    }

    @Test
    void relativePathsAreResolvedAgainstTheConfigFileDirectory() throws Exception {
        BakeguardConfig c = ConfigLoader.load(write(MINIMAL), Map.of());
        assertThat(c.node().dataDir()).isEqualTo(dir.resolve("data"));
        assertThat(c.keys().get(0).secretKeyFile()).contains(dir.resolve("keys/baker.key"));
    }

    @Test
    void theFullDesignExampleIsAccepted() throws Exception {
        BakeguardConfig c = ConfigLoader.load(write("""
                        node:
                          id: n1
                          data-dir: /var/lib/bakeguard
                        cluster:
                          - {id: n1, raft: 10.0.0.1:9870, admin: http://10.0.0.1:9583}
                          - {id: n2, raft: 10.0.0.2:9870, admin: http://10.0.0.2:9583}
                          - {id: n3, raft: 10.0.0.3:9870, admin: http://10.0.0.3:9583}
                        signer:
                          listen: 0.0.0.0:6732
                          tls: {certificate: tls/signer.crt, private-key: tls/signer.key}
                          authorized-keys: [edpkuBknW28nW72KG6RoHtYW7p12T6GKc7nAbwYX5m8Wd9sDVC9yav]
                          request-timeout: 500ms
                          allow-known-keys: true
                        admin:
                          listen: 127.0.0.1:9583
                        raft:
                          tls: {certificate: r.crt, private-key: r.key, trust: ca.crt}
                        keys:
                          - secret-key-file: keys/baker.key
                            password-file: keys/baker.pass
                            policy: {kinds: [block, preattestation, attestation]}
                          - octez-secret-keys: /home/baker/.tezos-client/secret_keys
                          - ledger: ledger://tz1hnWLTrBX8JrSJJX7FfgoYTgv25HgaAuqL/ed25519/0h/0h
                            transport: hid
                            policy: {kinds: [block, preattestation, attestation], operations: [reveal, delegation]}
                        """), Map.of());
        assertThat(c.cluster()).hasSize(3);
        assertThat(c.signer().requestTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.signer().tls().orElseThrow().privateKey()).isEqualTo(dir.resolve("tls/signer.key"));
        assertThat(c.raft().tls()).isPresent();
        assertThat(c.keys().get(2).policy().orElseThrow().operations()).containsExactly("reveal", "delegation");
        assertThat(c.signer().allowKnownKeys()).isTrue();
    }

    @Test
    void unknownKeysAreErrorsNamingTheKeyAndTheFile() throws Exception {
        Path f = write(MINIMAL + "signer: {foo: 1}\n");
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown key 'signer.foo' in " + f);
        Path g = write(MINIMAL.replace("- secret-key-file: keys/baker.key", "- secret-key-fil: keys/baker.key"));
        assertThatThrownBy(() -> ConfigLoader.load(g, Map.of()))
                .hasMessageContaining("unknown key 'keys[0].secret-key-fil'");
    }

    @Test
    void badDurationsAreRefusedWithTheKeyName() throws Exception {
        Path f = write(MINIMAL + "signer: {request-timeout: 2}\n");
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
                .hasMessageContaining("signer.request-timeout")
                .hasMessageContaining("add a unit");
        Path g = write(MINIMAL + "signer: {request-timeout: two seconds}\n");
        assertThatThrownBy(() -> ConfigLoader.load(g, Map.of())).hasMessageContaining("signer.request-timeout");
        Path h = write(MINIMAL + "signer: {request-timeout: 0s}\n");
        assertThatThrownBy(() -> ConfigLoader.load(h, Map.of())).hasMessageContaining("signer.request-timeout");
    }

    @Test
    void badValuesAreRefusedAtStart() throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(write(MINIMAL + "signer: {listen: nowhere}\n"), Map.of()))
                .hasMessageContaining("signer.listen");
        assertThatThrownBy(() -> ConfigLoader.load(write(MINIMAL.replace("id: n1, data", "id: n9, data")), Map.of()))
                .hasMessageContaining("node.id");
        assertThatThrownBy(() -> ConfigLoader.load(write(MINIMAL + "signer: {max-in-flight: many}\n"), Map.of()))
                .hasMessageContaining("signer.max-in-flight");
        assertThatThrownBy(() -> ConfigLoader.load(write("node: [1, 2]\n"), Map.of()))
                .hasMessageContaining("node");
        assertThatThrownBy(() -> ConfigLoader.load(write("node: {id: n1\n"), Map.of()))
                .hasMessageContaining("cannot parse");
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("missing.yaml"), Map.of()))
                .hasMessageContaining("does not exist");
    }

    @Test
    void keyEntriesNeedExactlyOneSourceAndValidPolicies() throws Exception {
        String base = MINIMAL.substring(0, MINIMAL.indexOf("keys:"));
        assertThatThrownBy(() -> ConfigLoader.load(
                        write(base + "keys:\n  - {secret-key-file: a, ledger: 'ledger://x/ed25519/0h'}\n"), Map.of()))
                .hasMessageContaining("exactly one");
        assertThatThrownBy(() -> ConfigLoader.load(
                        write(base + "keys:\n  - {secret-key-file: a, policy: {kinds: [blocks]}}\n"), Map.of()))
                .hasMessageContaining("keys[0].policy")
                .hasMessageContaining("blocks");
        assertThatThrownBy(() -> ConfigLoader.load(
                        write(base + "keys:\n  - {secret-key-file: a, policy: {operations: [teleport]}}\n"), Map.of()))
                .hasMessageContaining("keys[0].policy")
                .hasMessageContaining("teleport");
        assertThatThrownBy(() -> ConfigLoader.load(
                        write(base + "keys:\n  - {secret-key-file: a, policy: {first-use: maybe}}\n"), Map.of()))
                .hasMessageContaining("first-use");
        assertThatThrownBy(() -> ConfigLoader.load(write(base), Map.of())).hasMessageContaining("'keys'");
    }

    @Test
    void adminOnANonLoopbackAddressNeedsATokenFile() throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(write(MINIMAL + "admin: {listen: 0.0.0.0:9583}\n"), Map.of()))
                .hasMessageContaining("admin.token-file");
        BakeguardConfig c = ConfigLoader.load(
                write(MINIMAL + "admin: {listen: 0.0.0.0:9583, token-file: admin.token}\n"), Map.of());
        assertThat(c.admin().tokenFile()).contains(dir.resolve("admin.token"));
    }

    @Test
    void environmentVariablesOverrideEveryKey() throws Exception {
        BakeguardConfig c = ConfigLoader.load(
                write(MINIMAL),
                Map.of(
                        "BAKEGUARD_NODE_ID", "n2",
                        "BAKEGUARD_CLUSTER", "[{id: n1, raft: '127.0.0.1:9870'}, {id: n2, raft: '127.0.0.1:9871'}]",
                        "BAKEGUARD_SIGNER_LISTEN", "127.0.0.1:7000",
                        "BAKEGUARD_SIGNER_REQUEST_TIMEOUT", "750ms",
                        "BAKEGUARD_SIGNER_ALLOW_KNOWN_KEYS", "true",
                        "BAKEGUARD_SIGNER_MAX_IN_FLIGHT", "9",
                        "BAKEGUARD_SIGNER_AUTHORIZED_KEYS", "edpkA,edpkB",
                        "BAKEGUARD_NODE_DATA_DIR", "/srv/bg"));
        assertThat(c.node().id()).isEqualTo("n2");
        assertThat(c.cluster()).hasSize(2);
        assertThat(c.signer().listen()).isEqualTo("127.0.0.1:7000");
        assertThat(c.signer().requestTimeout()).isEqualTo(Duration.ofMillis(750));
        assertThat(c.signer().allowKnownKeys()).isTrue();
        assertThat(c.signer().maxInFlight()).isEqualTo(9);
        assertThat(c.signer().authorizedKeys()).containsExactly("edpkA", "edpkB");
        assertThat(c.node().dataDir()).isEqualTo(Path.of("/srv/bg"));
    }

    @Test
    void badEnvironmentValuesNameTheKey() throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(write(MINIMAL), Map.of("BAKEGUARD_SIGNER_REQUEST_TIMEOUT", "soon")))
                .hasMessageContaining("signer.request-timeout");
    }

    @Test
    void everyKeyHasAnEnvironmentVariable() {
        assertThat(ConfigLoader.environmentKeys())
                .containsEntry("BAKEGUARD_NODE_ID", "node.id")
                .containsEntry("BAKEGUARD_SIGNER_REQUEST_TIMEOUT", "signer.request-timeout")
                .containsEntry("BAKEGUARD_SIGNER_TLS_PRIVATE_KEY", "signer.tls.private-key")
                .containsEntry("BAKEGUARD_ADMIN_TOKEN_FILE", "admin.token-file")
                .containsEntry("BAKEGUARD_KEYS", "keys");
    }

    @Test
    void durationsParseTheDocumentedForms() {
        assertThat(Durations.parse("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("1m")).isEqualTo(Duration.ofMinutes(1));
        assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThatThrownBy(() -> Durations.parse("-1s")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    }
}
