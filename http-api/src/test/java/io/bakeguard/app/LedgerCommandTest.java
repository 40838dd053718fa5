package io.bakeguard.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bakeguard.ledger.bridge.CertificateAllowList;
import io.bakeguard.ledger.sim.LedgerSimulator;
import io.bakeguard.ledger.sim.SimulatedHidBus;
import io.bakeguard.ledger.testing.SimulatedSetup;
import io.bakeguard.ledger.testing.TestCertificates;
import io.bakeguard.testkit.LoopbackPorts;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bakeguard ledger ...} against simulated Ledgers in this JVM (Speculos TCP framing on
 * loopback, or a simulated HID bus for {@code list}).
 */
class LedgerCommandTest {
    static final String ROOT = SimulatedSetup.ZEBRA_ROOT;
    static final String URI = "ledger://" + ROOT + "/ed25519/0h/0h";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    LedgerSimulator.Running sim;
    String transport;
    final List<Thread> background = new ArrayList<>();

    @BeforeEach
    void startSimulator() throws Exception {
        sim = LedgerSimulator.start(0, null, true, new PrintStream(OutputStream.nullOutputStream()));
        transport = "tcp://127.0.0.1:" + sim.port();
    }

    @AfterEach
    void stop() throws Exception {
        for (Thread t : background) {
            t.interrupt();
            t.join(10_000);
        }
        sim.close();
    }

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        return run(Bakeguard.commandLine(), args);
    }

    static Run run(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** A command that runs until interrupted (simulate, bridge), with its output readable meanwhile. */
    record Background(Thread thread, StringWriter out, StringWriter err, AtomicInteger code) {
        String awaitOutput(Pattern p) throws InterruptedException {
            long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < end) {
                Matcher m = p.matcher(out.toString());
                if (m.find()) {
                    return m.group(1);
                }
                if (!thread.isAlive()) {
                    break;
                }
                Thread.sleep(20);
            }
            throw new AssertionError("no " + p + " in output: " + out + " / " + err + " (exit " + code + ")");
        }
    }

    Background start(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        AtomicInteger code = new AtomicInteger(-1);
        Thread t =
                new Thread(() -> code.set(Bakeguard.run(args, new PrintWriter(out, true), new PrintWriter(err, true))));
        t.setDaemon(true);
        t.start();
        background.add(t);
        return new Background(t, out, err, code);
    }

    static void assertOneLineError(Run r, int code, String... fragments) {
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(code);
        assertThat(r.err().strip()).doesNotContain("\n").contains(fragments);
    }

    @Test
    void infoShowsTheKeyTheAuthorizedKeyTheChainAndTheHwms() throws Exception {
        Run text = run("ledger", "info", URI, "--transport", transport);
        assertThat(text.code()).as(text.err()).isZero();
        assertThat(text.out()).contains("Tezos Baking 2.5.1", "(this key)", "HWM main:       level 0 round 0");
        Run json = run("ledger", "info", URI, "--transport", transport, "--json");
        assertThat(json.code()).as(json.err()).isZero();
        JsonNode n = JSON.readTree(json.out());
        assertThat(n.get("public_key_hash").asText()).startsWith("tz1");
        assertThat(n.get("public_key").asText()).startsWith("edpk");
        assertThat(n.get("authorized_key_matches").asBoolean()).isTrue();
        assertThat(n.get("main_hwm").get("level").asInt()).isZero();
    }

    @Test
    void infoForAKeyThatIsNotAuthorizedSaysSo() throws Exception {
        Run r = run("ledger", "info", "ledger://" + ROOT + "/ed25519/0h/1h", "--transport", transport, "--json");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(JSON.readTree(r.out()).get("authorized_key_matches").asBoolean())
                .isFalse();
    }

    @Test
    void hwmShowsAndRaisesOnlyUpward() throws Exception {
        Run shown = run("ledger", "hwm", URI, "--transport", transport, "--json");
        assertThat(shown.code()).as(shown.err()).isZero();
        assertThat(JSON.readTree(shown.out()).get("main_hwm").get("level").asInt())
                .isZero();

        Run raised = run("ledger", "hwm", URI, "--transport", transport, "--set", "500", "--yes", "--json");
        assertThat(raised.code()).as(raised.err()).isZero();
        JsonNode n = JSON.readTree(raised.out());
        assertThat(n.get("main_hwm").get("level").asInt()).isEqualTo(500);
        assertThat(n.get("test_hwm").get("level").asInt()).isEqualTo(500);
        assertThat(sim.device().mainHwm()[0]).isEqualTo(500);

        Run down = run("ledger", "hwm", URI, "--transport", transport, "--set", "100", "--yes");
        assertOneLineError(down, 1, "only moves up", "nothing was changed");
        Run same = run("ledger", "hwm", URI, "--transport", transport, "--set", "500", "--yes");
        assertOneLineError(same, 1, "only moves up");
        assertThat(sim.device().mainHwm()[0]).isEqualTo(500);
    }

    @Test
    void raisingTheHwmWithoutATerminalNeedsYes() {
        Run r = run("ledger", "hwm", URI, "--transport", transport, "--set", "700");
        assertOneLineError(r, 1, "--yes");
        assertThat(sim.device().mainHwm()[0]).isZero();
    }

    @Test
    void aDeviceThatIsNotThereIsAOneLineErrorSayingWhatToCheck() throws Exception {
        int closed = LoopbackPorts.one();
        Run r = run("ledger", "info", URI, "--transport", "tcp://127.0.0.1:" + closed, "--timeout", "1s");
        assertOneLineError(r, 1, "bakeguard info:", "check that tcp://127.0.0.1:" + closed + " is running");
    }

    @Test
    void anotherDeviceThanTheUriNamesIsNotUsed() {
        // The root of Signatory's test mnemonic (spec/ledger-baking-apdu.md s.3.9): not this simulator.
        Run r = run(
                "ledger",
                "info",
                "ledger://tz1daTbhMHpmMXQYaVYmzZTM3S11oshHPrMm/ed25519/0h/0h",
                "--transport",
                transport);
        assertThat(r.code()).as(r.out()).isEqualTo(1);
        assertThat(r.err().strip()).doesNotContain("\n").contains("tz1daTbhMHpmMXQYaVYmzZTM3S11oshHPrMm");
    }

    @Test
    void malformedArgumentsAreUsageErrors() {
        assertOneLineError(run("ledger", "info", "ledger://nope/ed25519/0h/0h", "--transport", transport), 2, "nope");
        assertOneLineError(run("ledger", "info", URI, "--transport", "udp://127.0.0.1:1"), 2, "--transport");
        assertOneLineError(run("ledger", "info", URI, "--transport", "tls://127.0.0.1:1"), 2, "--certificate");
        assertOneLineError(run("ledger", "hwm", URI, "--transport", transport, "--set", "-1", "--yes"), 2, "--set");
        assertOneLineError(run("ledger", "hwm", URI, "--transport", transport, "--timeout", "soon"), 2, "--timeout");
        assertOneLineError(run("ledger", "simulate"), 2, "--port");
        assertOneLineError(run("ledger"), 2, "list, info, hwm, simulate or bridge");
    }

    @Test
    void listShowsEachPluggedLedgerWithItsRootAndUri() throws Exception {
        CommandLine cl = Bakeguard.commandLine();
        LedgerCommand.ListDevices list =
                cl.getSubcommands().get("ledger").getSubcommands().get("list").getCommand();
        list.finder = new SimulatedHidBus(SimulatedSetup.zebra("usb"));
        Run json = run(cl, "ledger", "list", "--json");
        assertThat(json.code()).as(json.err()).isZero();
        JsonNode n = JSON.readTree(json.out());
        assertThat(n).hasSize(1);
        assertThat(n.get(0).get("root").asText()).isEqualTo(ROOT);
        assertThat(n.get(0).get("short_id").asText()).isEqualTo("f2ed2bbe");
        assertThat(n.get(0).get("uri").asText()).isEqualTo(URI);
        assertThat(n.get(0).get("app").asText()).contains("Tezos Baking");

        list.finder = new SimulatedHidBus();
        Run none = run(cl, "ledger", "list");
        assertThat(none.code()).isZero();
        assertThat(none.out()).contains("no Ledger found");
    }

    @Test
    void simulateServesASimulatedLedgerUntilStopped() throws Exception {
        Path mnemonic = dir.resolve("mnemonic");
        Files.writeString(mnemonic, "umbrella idea improve dance correct venue mad atom salmon detail please trip\n");
        Background b = start("ledger", "simulate", "--port", "0", "--mnemonic-file", mnemonic.toString());
        String port = b.awaitOutput(Pattern.compile("transport: tcp://127\\.0\\.0\\.1:(\\d+)"));
        assertThat(b.out().toString()).contains("device root key: tz1daTbhMHpmMXQYaVYmzZTM3S11oshHPrMm");
        Run info = run(
                "ledger",
                "info",
                "ledger://tz1daTbhMHpmMXQYaVYmzZTM3S11oshHPrMm/ed25519/0h/0h",
                "--transport",
                "tcp://127.0.0.1:" + port,
                "--json");
        assertThat(info.code()).as(info.err()).isZero();
        assertThat(JSON.readTree(info.out()).get("authorized_key_matches").asBoolean())
                .isTrue();
        b.thread().interrupt();
        b.thread().join(10_000);
        assertThat(b.code().get()).isZero();
    }

    @Test
    void simulateRefusesAMissingOrBadMnemonicFile() throws Exception {
        assertOneLineError(
                run(
                        "ledger",
                        "simulate",
                        "--port",
                        "0",
                        "--mnemonic-file",
                        dir.resolve("none").toString()),
                1,
                "does not exist");
        Path bad = dir.resolve("bad");
        Files.writeString(bad, "zebra zebra\n");
        assertOneLineError(
                run("ledger", "simulate", "--port", "0", "--mnemonic-file", bad.toString()), 1, "BIP39 mnemonic");
    }

    @Test
    void bridgeExposesTheDeviceOverMutualTlsToAllowedClientsOnly() throws Exception {
        TestCertificates.Identity bridge = TestCertificates.selfSigned("bridge");
        TestCertificates.Identity replica = TestCertificates.selfSigned("replica");
        TestCertificates.Identity stranger = TestCertificates.selfSigned("stranger");
        bridge.writePem(dir, "bridge");
        replica.writePem(dir, "replica");
        stranger.writePem(dir, "stranger");
        int port = LoopbackPorts.one();
        Background b = start(
                "ledger",
                "bridge",
                "--device",
                "ledger://" + ROOT,
                "--listen",
                "127.0.0.1:" + port,
                "--transport",
                transport,
                "--certificate",
                dir.resolve("bridge.crt").toString(),
                "--private-key",
                dir.resolve("bridge.key").toString(),
                "--trust",
                dir.resolve("replica.crt").toString(),
                "--allow",
                CertificateAllowList.fingerprint(replica.certificate()));
        b.awaitOutput(Pattern.compile("(tls://)"));

        Run info = run(
                "ledger",
                "info",
                URI,
                "--transport",
                "tls://127.0.0.1:" + port,
                "--certificate",
                dir.resolve("replica.crt").toString(),
                "--private-key",
                dir.resolve("replica.key").toString(),
                "--trust",
                dir.resolve("bridge.crt").toString(),
                "--json");
        assertThat(info.code()).as(info.err()).isZero();
        assertThat(JSON.readTree(info.out()).get("authorized_key_matches").asBoolean())
                .isTrue();

        Run refused = run(
                "ledger",
                "info",
                URI,
                "--transport",
                "tls://127.0.0.1:" + port,
                "--certificate",
                dir.resolve("stranger.crt").toString(),
                "--private-key",
                dir.resolve("stranger.key").toString(),
                "--trust",
                dir.resolve("bridge.crt").toString(),
                "--timeout",
                "2s");
        assertThat(refused.code()).as(refused.out()).isEqualTo(1);
        assertThat(refused.err().strip()).doesNotContain("\n");

        // RESET needs a human at the device: the bridge refuses it, so the HWM cannot be moved remotely.
        Run reset = run(
                "ledger",
                "hwm",
                URI,
                "--set",
                "900",
                "--yes",
                "--transport",
                "tls://127.0.0.1:" + port,
                "--certificate",
                dir.resolve("replica.crt").toString(),
                "--private-key",
                dir.resolve("replica.key").toString(),
                "--trust",
                dir.resolve("bridge.crt").toString());
        assertThat(reset.code()).as(reset.out()).isEqualTo(1);
        assertThat(sim.device().mainHwm()[0]).isZero();
    }

    @Test
    void bridgeArgumentsAreCheckedBeforeListening() throws Exception {
        TestCertificates.Identity bridge = TestCertificates.selfSigned("bridge");
        bridge.writePem(dir, "bridge");
        String[] tls = {
            "--certificate", dir.resolve("bridge.crt").toString(),
            "--private-key", dir.resolve("bridge.key").toString(),
            "--trust", dir.resolve("bridge.crt").toString()
        };
        String[] base = {"ledger", "bridge", "--device", "ledger://" + ROOT, "--listen", "127.0.0.1:1"};
        assertOneLineError(run(concat(base, tls)), 2, "--allow");
        assertOneLineError(run(concat(concat(base, tls), "--allow", "xyz")), 2, "not a SHA-256 fingerprint");
        assertOneLineError(
                run(concat(concat(base, tls), "--allow", "ab".repeat(32), "--transport", "tls://h:1")),
                2,
                "--transport");
        String[] missing = tls.clone();
        missing[5] = dir.resolve("none.crt").toString();
        assertOneLineError(run(concat(concat(base, missing), "--allow", "ab".repeat(32))), 1, "TLS files");
    }

    static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
