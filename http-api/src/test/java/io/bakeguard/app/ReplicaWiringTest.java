package io.bakeguard.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bakeguard.app.config.BakeguardConfig;
import io.bakeguard.app.config.ConfigException;
import io.bakeguard.app.config.ConfigLoader;
import io.bakeguard.http.KeyRing;
import io.bakeguard.http.Vectors;
import io.bakeguard.testkit.LoopbackPorts;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One replica started in this JVM from a config file: TLS, admin token and connection limits wired. */
class ReplicaWiringTest {
    static final String TZ1 = "tz1KqTpEZ7Yob7QbPE4Hy4Wo8fHG8LhKxZSx";

    @TempDir
    Path dir;

    Path secret(String name, String content) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    String config(int signer, int admin, int raft, String extraSigner) throws Exception {
        secret(
                "baker.key",
                "unencrypted:" + Vectors.key("tz1_bootstrap1").get("secret_key").asText());
        secret("admin.token", "0123456789abcdef0123456789\n");
        return "node: {id: n1, data-dir: data}\n"
                + "cluster: [{id: n1, raft: '127.0.0.1:" + raft + "'}]\n"
                + "signer:\n  listen: 127.0.0.1:" + signer + "\n  max-connections: 2\n  request-timeout: 5s\n"
                + extraSigner
                + "admin: {listen: '127.0.0.1:" + admin + "', token-file: admin.token}\n"
                + "keys:\n  - secret-key-file: baker.key\n    policy: {first-use: allow}\n";
    }

    @Test
    void httpsSignerAdminTokenAndConnectionCapAreWiredFromTheConfig() throws Exception {
        assumeTrue(
                new ProcessBuilder("openssl", "version").start().waitFor(30, TimeUnit.SECONDS),
                "openssl is not installed: cannot make a test certificate, skipping the HTTPS wiring test");
        Process gen = new ProcessBuilder(
                        "openssl",
                        "req",
                        "-x509",
                        "-newkey",
                        "ec",
                        "-pkeyopt",
                        "ec_paramgen_curve:prime256v1",
                        "-nodes",
                        "-keyout",
                        "tls.key",
                        "-out",
                        "tls.crt",
                        "-days",
                        "1",
                        "-subj",
                        "/CN=127.0.0.1",
                        "-addext",
                        "subjectAltName=IP:127.0.0.1")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        assumeTrue(gen.waitFor(60, TimeUnit.SECONDS) && gen.exitValue() == 0, "openssl could not make a certificate");
        Files.setPosixFilePermissions(dir.resolve("tls.key"), PosixFilePermissions.fromString("rw-------"));
        int signer = LoopbackPorts.one();
        int admin = LoopbackPorts.one();
        int raft = LoopbackPorts.one();
        Path file = dir.resolve("bakeguard.yaml");
        Files.writeString(file, config(signer, admin, raft, "  tls: {certificate: tls.crt, private-key: tls.key}\n"));
        BakeguardConfig c = ConfigLoader.load(file, Map.of());
        KeyRing keys = KeyLoader.load(c, file.toString(), Map.of());
        try (NettyRuntime netty = new NettyRuntime(2);
                Replica replica = Replica.start(c, file.toString(), keys, netty, Map.of())) {
            HttpClient https = HttpClient.newBuilder()
                    .sslContext(trusting(dir.resolve("tls.crt")))
                    .build();
            HttpResponse<String> pk = https.send(
                    HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + signer + "/keys/" + TZ1))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(pk.statusCode()).isEqualTo(200);
            assertThat(pk.body())
                    .contains(Vectors.key("tz1_bootstrap1").get("public_key").asText());
            HttpResponse<String> signed = https.send(
                    HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + signer + "/keys/" + TZ1))
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "\"" + Vectors.message("forged_attestation_tag21") + "\""))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> noToken = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/admin/snapshot"))
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(noToken.statusCode()).isEqualTo(401);
            HttpResponse<String> withToken = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/admin/snapshot"))
                            .header("Authorization", "Bearer 0123456789abcdef0123456789")
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(withToken.statusCode()).as(withToken.body()).isEqualTo(200);

            // signer.max-connections is 2: a third idle connection is closed at once.
            try (Socket a = new Socket("127.0.0.1", signer);
                    Socket b = new Socket("127.0.0.1", signer);
                    Socket third = new Socket("127.0.0.1", signer)) {
                third.setSoTimeout(5000);
                InputStream in = third.getInputStream();
                assertThat(in.read()).isEqualTo(-1);
                assertThat(a.isConnected() && b.isConnected()).isTrue();
            }
        }
    }

    @Test
    void aNonLoopbackAdminWithoutTokenAndATooShortTokenAreRefused() throws Exception {
        Path file = dir.resolve("bakeguard.yaml");
        Files.writeString(
                file,
                config(LoopbackPorts.one(), LoopbackPorts.one(), LoopbackPorts.one(), "")
                        .replace("token-file: admin.token", "max-connections: 4")
                        .replace("'127.0.0.1:", "'0.0.0.0:"));
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of())).hasMessageContaining("admin.token-file");
        secret("short.token", "abc");
        Files.writeString(
                file,
                config(LoopbackPorts.one(), LoopbackPorts.one(), LoopbackPorts.one(), "")
                        .replace("admin.token", "short.token"));
        BakeguardConfig c = ConfigLoader.load(file, Map.of());
        try (NettyRuntime netty = new NettyRuntime(1)) {
            assertThatThrownBy(
                            () -> Replica.start(c, file.toString(), new KeyRing(java.util.List.of()), netty, Map.of()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("shorter than 16");
        }
    }

    @Test
    void aPortInUseIsAOneLineConfigErrorNamingTheListenerAndNothingStaysOpen() throws Exception {
        Path file = dir.resolve("bakeguard.yaml");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                NettyRuntime netty = new NettyRuntime(1)) {
            int[] free = LoopbackPorts.reserve(2);
            String[][] cases = {
                {"signer", config(taken.getLocalPort(), free[0], free[1], "")},
                {"admin", config(free[0], taken.getLocalPort(), free[1], "")},
            };
            for (String[] c : cases) {
                Files.writeString(file, c[1]);
                BakeguardConfig config = ConfigLoader.load(file, Map.of());
                assertThatThrownBy(() -> Replica.start(
                                config, file.toString(), new KeyRing(java.util.List.of()), netty, Map.of()))
                        .isInstanceOf(ConfigException.class)
                        .hasMessage("cannot listen on 127.0.0.1:" + taken.getLocalPort() + " for the " + c[0]
                                + " API: Address already in use (from " + file + ")");
                // Everything started before the failing listener was closed again: its ports are free.
                for (int port : free) {
                    try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                        assertThat(again.getLocalPort()).isEqualTo(port);
                    }
                }
            }
        }
    }

    @Test
    void aLedgerKeyOverTcpSignsThroughTheReplicaAndItsDeviceGaugeIsUp() throws Exception {
        try (var sim = io.bakeguard.ledger.sim.LedgerSimulator.start(
                0, null, true, new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))) {
            int signer = LoopbackPorts.one();
            int admin = LoopbackPorts.one();
            int raft = LoopbackPorts.one();
            Path file = dir.resolve("bakeguard.yaml");
            Files.writeString(
                    file,
                    "node: {id: n1, data-dir: data}\n"
                            + "cluster: [{id: n1, raft: '127.0.0.1:" + raft + "'}]\n"
                            + "signer: {listen: '127.0.0.1:" + signer + "', request-timeout: 5s}\n"
                            + "admin: {listen: '127.0.0.1:" + admin + "'}\n"
                            + "keys:\n  - ledger: ledger://" + sim.rootPkh() + "/ed25519/0h/0h\n"
                            + "    transport: tcp://127.0.0.1:" + sim.port() + "\n"
                            + "    policy: {first-use: allow}\n");
            BakeguardConfig c = ConfigLoader.load(file, Map.of());
            KeyRing keys = KeyLoader.load(c, file.toString(), Map.of());
            String pkh = keys.all().iterator().next().signer().publicKeyHash();
            try (NettyRuntime netty = new NettyRuntime(2);
                    Replica replica = Replica.start(c, file.toString(), keys, netty, Map.of())) {
                HttpClient http = HttpClient.newHttpClient();
                String hex =
                        "13" + "7a06a770" + "00".repeat(32) + "15" + "0000" + "0000000a" + "00000000" + "ab".repeat(32);
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + signer + "/keys/" + pkh))
                                .POST(HttpRequest.BodyPublishers.ofString("\"" + hex + "\""))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                String sig = new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(r.body())
                        .get("signature")
                        .asText();
                String pk = keys.all().iterator().next().signer().publicKey();
                assertThat(io.bakeguard.core.key.PublicKey.parse(pk)
                                .verify(
                                        java.util.HexFormat.of().parseHex(hex),
                                        sig,
                                        io.bakeguard.core.signer.SignatureVersion.LATEST))
                        .isTrue();
                String metrics = http.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/metrics"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                assertThat(metrics).containsPattern("bakeguard_ledger_connected\\{device=\"[^\"]+\"} 1");
            }
        }
    }

    @Test
    void aLedgerEntryWithABadTransportStopsTheStartNamingTheKey() throws Exception {
        Path file = dir.resolve("bakeguard.yaml");
        Files.writeString(
                file,
                "node: {id: n1, data-dir: data}\n"
                        + "cluster: [{id: n1, raft: '127.0.0.1:" + LoopbackPorts.one() + "'}]\n"
                        + "keys:\n  - ledger: ledger://" + TZ1 + "/ed25519/0h/0h\n    transport: ftp://x:1\n");
        // Refused by the config check already, before any device is opened.
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("keys[0].transport")
                .hasMessageContaining("hid, tcp://HOST:PORT or tls://HOST:PORT");
    }

    static SSLContext trusting(Path cert) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            ks.setCertificateEntry(
                    "bakeguard", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
