package io.bakeguard.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code keys: - ledger:} entry of design.md s.3: URI, transport and tls. */
class LedgerKeyConfigTest {
    static final String ROOT = "tz1hnWLTrBX8JrSJJX7FfgoYTgv25HgaAuqL";
    static final String HEAD = """
            node: {id: n1, data-dir: data}
            cluster:
              - {id: n1, raft: 127.0.0.1:9870}
            keys:
            """;

    @TempDir
    Path dir;

    Path write(String keyEntry) throws Exception {
        Path f = dir.resolve("bakeguard.yaml");
        Files.writeString(f, HEAD + keyEntry);
        return f;
    }

    BakeguardConfig load(String keyEntry) throws Exception {
        return ConfigLoader.load(write(keyEntry), Map.of());
    }

    @Test
    void aLedgerEntryWithEachTransportIsAccepted() throws Exception {
        BakeguardConfig hid = load("  - ledger: ledger://" + ROOT + "/ed25519/0h/0h\n");
        assertThat(hid.keys().get(0).ledger()).contains("ledger://" + ROOT + "/ed25519/0h/0h");
        assertThat(hid.keys().get(0).transport()).isEmpty();
        BakeguardConfig tcp =
                load("  - ledger: ledger://" + ROOT + "/secp256k1/0h/0h\n    transport: tcp://127.0.0.1:9999\n");
        assertThat(tcp.keys().get(0).transport()).contains("tcp://127.0.0.1:9999");
        BakeguardConfig shortId = load("  - ledger: ledger://f2ed2bbe/P-256/0h/1h\n    transport: hid\n");
        assertThat(shortId.keys().get(0).ledger()).isPresent();
    }

    @Test
    void aTlsTransportTakesItsCertificateKeyAndTrustResolvedAgainstTheConfigDirectory() throws Exception {
        BakeguardConfig c = load("  - ledger: ledger://" + ROOT + "/ed25519/0h/0h\n"
                + "    transport: tls://signer-host:9999\n"
                + "    tls: {certificate: tls/replica.crt, private-key: tls/replica.key,"
                + " trust: tls/bridge.crt}\n");
        var tls = c.keys().get(0).tls().orElseThrow();
        assertThat(tls.certificate()).isEqualTo(dir.resolve("tls/replica.crt"));
        assertThat(tls.privateKey()).isEqualTo(dir.resolve("tls/replica.key"));
        assertThat(tls.trust()).isEqualTo(dir.resolve("tls/bridge.crt"));
    }

    @Test
    void aMalformedLedgerUriIsRefusedNamingTheKey() throws Exception {
        for (String bad : new String[] {
            "ledger://tz1RootKeyOfTheDevice/ed25519/0h/0h", // not a valid tz1
            "ledger:///ed25519/0h/0h", // no device
            "ledger://" + ROOT + "/ed448/0h/0h", // unknown curve
            "ledger://" + ROOT + "/ed25519/0/0", // ed25519 needs hardened paths
            "ledger://fatherly-earwig-buoyant-robin/ed25519/0h/0h", // animals: not supported
            "tz1" + ROOT // not a ledger:// URI
        }) {
            Path f = write("  - ledger: '" + bad + "'\n");
            assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
                    .as(bad)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("bad value for 'keys[0].ledger' in " + f);
        }
    }

    @Test
    void aBadTransportIsRefusedNamingTheKey() throws Exception {
        for (String bad : new String[] {
            "usb",
            "tcp://127.0.0.1",
            "tcp://:9999",
            "tcp://127.0.0.1:0",
            "tcp://127.0.0.1:70000",
            "udp://127.0.0.1:9999",
            "tcp://127.0.0.1:9999/path",
            "hid://x"
        }) {
            Path f = write("  - ledger: ledger://" + ROOT + "/ed25519/0h/0h\n    transport: '" + bad + "'\n");
            assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
                    .as(bad)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("bad value for 'keys[0].transport' in " + f);
        }
    }

    @Test
    void aTlsTransportWithoutItsFilesOrFilesWithoutTlsAreRefused() throws Exception {
        Path noFiles = write("  - ledger: ledger://" + ROOT + "/ed25519/0h/0h\n    transport: tls://h:9999\n");
        assertThatThrownBy(() -> ConfigLoader.load(noFiles, Map.of())).hasMessageContaining("missing 'keys[0].tls'");
        Path partial = write("  - ledger: ledger://" + ROOT + "/ed25519/0h/0h\n    transport: tls://h:9999\n"
                + "    tls: {certificate: a.crt, private-key: a.key}\n");
        assertThatThrownBy(() -> ConfigLoader.load(partial, Map.of()))
                .hasMessageContaining("missing 'keys[0].tls'")
                .hasMessageContaining("trust");
        Path notTls = write("  - ledger: ledger://" + ROOT + "/ed25519/0h/0h\n    transport: tcp://h:9999\n"
                + "    tls: {certificate: a.crt, private-key: a.key, trust: b.crt}\n");
        assertThatThrownBy(() -> ConfigLoader.load(notTls, Map.of()))
                .hasMessageContaining("bad value for 'keys[0].tls'");
        Path software = write(
                "  - secret-key-file: k.key\n" + "    tls: {certificate: a.crt, private-key: a.key, trust: b.crt}\n");
        assertThatThrownBy(() -> ConfigLoader.load(software, Map.of()))
                .hasMessageContaining("bad value for 'keys[0].tls'");
    }

    @Test
    void unknownKeysInALedgerEntryAreStillRefused() throws Exception {
        Path f = write("  - ledger: ledger://" + ROOT + "/ed25519/0h/0h\n    transport-tsl: {}\n");
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
                .hasMessageContaining("unknown key 'keys[0].transport-tsl' in " + f);
        Path g = write("  - ledger: ledger://" + ROOT + "/ed25519/0h/0h\n    transport: tls://h:1\n"
                + "    tls: {certificate: a, private-key: b, trust: c, ca: d}\n");
        assertThatThrownBy(() -> ConfigLoader.load(g, Map.of())).hasMessageContaining("unknown key 'keys[0].tls.ca'");
    }

    @Test
    void aLedgerEntryTakesNoPassword() throws Exception {
        Path f = write("  - ledger: ledger://" + ROOT + "/ed25519/0h/0h\n    password-file: p\n");
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
                .hasMessageContaining("bad value for 'keys[0].password-file'");
    }
}
