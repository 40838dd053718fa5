package io.bakeguard.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bakeguard.app.config.Durations;
import io.bakeguard.app.config.HostPort;
import io.bakeguard.ledger.app.AllHwm;
import io.bakeguard.ledger.app.Hwm;
import io.bakeguard.ledger.app.LedgerException;
import io.bakeguard.ledger.bridge.CertificateAllowList;
import io.bakeguard.ledger.bridge.LedgerBridgeServer;
import io.bakeguard.ledger.bridge.TlsMaterial;
import io.bakeguard.ledger.hid.Hid4javaDeviceFinder;
import io.bakeguard.ledger.hid.LedgerDeviceFinder;
import io.bakeguard.ledger.ops.LedgerOps;
import io.bakeguard.ledger.signer.DeviceConnector;
import io.bakeguard.ledger.signer.LedgerSigners;
import io.bakeguard.ledger.signer.LedgerUri;
import io.bakeguard.ledger.sim.LedgerSimulator;
import java.io.Console;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bakeguard ledger list | info URI | hwm URI [--set LEVEL] | simulate --port P | bridge ...}
 * (design.md s.6): thin picocli shells over ledger-bridge's {@link LedgerOps}, {@link LedgerSimulator}
 * and {@link LedgerBridgeServer}. Never point these at a device a running replica holds: one process
 * per device.
 */
@Command(
        name = "ledger",
        mixinStandardHelpOptions = true,
        description = "Inspect, set up and bridge Ledger devices running the Tezos Baking app.",
        subcommands = {
            LedgerCommand.ListDevices.class,
            LedgerCommand.Info.class,
            LedgerCommand.HwmCommand.class,
            LedgerCommand.Simulate.class,
            LedgerCommand.Bridge.class
        })
final class LedgerCommand implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "give list, info, hwm, simulate or bridge");
    }

    /**
     * Which key on which device, and how to reach it: the {@code ledger://} URI, {@code --transport} and, for
     * {@code tls://}, the client's PEM files.
     */
    static final class DeviceOptions {
        @Parameters(index = "0", paramLabel = "URI", description = "ledger://<root tz1 or short id>/<curve>/<path>")
        String uri;

        @Option(
                names = "--transport",
                defaultValue = "hid",
                paramLabel = "T",
                description = "hid (default), tcp://HOST:PORT (Speculos, `ledger simulate`) or tls://HOST:PORT"
                        + " (a `ledger bridge`)")
        String transport;

        @ArgGroup(exclusive = false)
        ClientTls tls;

        @Option(
                names = "--timeout",
                defaultValue = "5s",
                paramLabel = "D",
                description = "per-exchange timeout (default 5s)")
        String timeout;

        Duration timeout(CommandLine cl) {
            return duration(cl, "--timeout", timeout);
        }

        DeviceConnector connector(CommandLine cl) throws Bakeguard.UserException {
            Optional<TlsMaterial> material = Optional.empty();
            if (tls != null) {
                material = Optional.of(tls.material());
            }
            try {
                return LedgerSigners.connector(transport, material);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(
                        cl,
                        "--transport: " + e.getMessage()
                                + (transport.startsWith("tls://") && tls == null
                                        ? " (give --certificate, --private-key and --trust)"
                                        : ""));
            }
        }
    }

    /**
     * The mutual-TLS identity of either end: a replica's client certificate for a {@code tls://}
     * transport (trusting the bridge), or the bridge's own (trusting the replicas' CA).
     */
    static final class ClientTls {
        @Option(names = "--certificate", required = true, paramLabel = "PEM", description = "certificate chain")
        Path certificate;

        @Option(names = "--private-key", required = true, paramLabel = "PEM", description = "its PKCS#8 key")
        Path privateKey;

        @Option(names = "--trust", required = true, paramLabel = "PEM", description = "the other end's cert or CA")
        Path trust;

        TlsMaterial material() throws Bakeguard.UserException {
            return pem(certificate, privateKey, trust);
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List the Ledgers plugged in (USB HID) with their app and root key.")
    static final class ListDevices implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--timeout", defaultValue = "3s", paramLabel = "D", description = "per-device timeout")
        String timeout;

        @Option(names = "--json", description = "JSON for scripts")
        boolean json;

        /** Where devices are looked for; tests put a simulated HID bus here. */
        LedgerDeviceFinder finder = new Hid4javaDeviceFinder();

        @Override
        public Integer call() throws Exception {
            Duration t = duration(spec.commandLine(), "--timeout", timeout);
            List<LedgerOps.DeviceListing> devices;
            try {
                devices = LedgerOps.list(finder, t);
            } catch (IOException e) {
                throw new Bakeguard.UserException("cannot enumerate USB HID devices: " + e.getMessage()
                        + "; check that this user may read /dev/hidraw* (udev rules for Ledger, vendor 2c97)");
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                ArrayNode a = JSON.createArrayNode();
                for (LedgerOps.DeviceListing d : devices) {
                    ObjectNode n = a.addObject();
                    n.put("path", d.path());
                    n.put("model", d.model());
                    n.put("app", d.app());
                    d.rootPkh().ifPresent(v -> n.put("root", v));
                    d.shortId().ifPresent(v -> n.put("short_id", v));
                    d.rootPkh().ifPresent(v -> n.put("uri", "ledger://" + v + "/ed25519/0h/0h"));
                }
                out.println(JSON.writeValueAsString(a));
                return 0;
            }
            if (devices.isEmpty()) {
                out.println("no Ledger found: plug it in, unlock it and open the Tezos Baking app");
                return 0;
            }
            for (LedgerOps.DeviceListing d : devices) {
                out.println(d.path() + "  " + d.model() + "  " + d.app());
                if (d.rootPkh().isPresent()) {
                    out.println("    root " + d.rootPkh().get() + " (short id "
                            + d.shortId().orElse("?") + "): ledger://"
                            + d.rootPkh().get() + "/ed25519/0h/0h");
                }
            }
            return 0;
        }
    }

    @Command(
            name = "info",
            mixinStandardHelpOptions = true,
            description = "Show the app, the key a URI names, the authorized baking key, the chain and the HWMs.")
    static final class Info implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        DeviceOptions device;

        @Option(names = "--json", description = "JSON for scripts")
        boolean json;

        @Override
        public Integer call() throws Exception {
            CommandLine cl = spec.commandLine();
            LedgerUri u = parseUri(cl, device.uri);
            LedgerOps.DeviceInfo i;
            try {
                i = LedgerOps.info(device.connector(cl), u, device.timeout(cl));
            } catch (LedgerException e) {
                throw deviceError(u, device.transport, e);
            }
            PrintWriter out = cl.getOut();
            if (json) {
                ObjectNode n = JSON.createObjectNode();
                n.put("uri", u.text());
                n.put("app", i.version().toString());
                n.put("git", i.git());
                n.put("public_key_hash", i.key().publicKeyHash());
                n.put("public_key", i.key().publicKey());
                i.authorized().ifPresent(a -> n.put("authorized_key", a.toString()));
                n.put("authorized_key_matches", i.authorizedKeyMatches());
                n.put("main_chain_id", i.mainChainId());
                hwmJson(n, i.hwm());
                out.println(JSON.writeValueAsString(n));
                return 0;
            }
            out.println("app:            " + i.version() + " (git " + i.git() + ")");
            out.println(
                    "key:            " + i.key().publicKeyHash() + " " + i.key().publicKey());
            out.println("authorized key: "
                    + i.authorized().map(Object::toString).orElse("none")
                    + (i.authorizedKeyMatches()
                            ? " (this key)"
                            : " (NOT this key: set the device up to bake for it before use)"));
            out.println("main chain:     " + i.mainChainId());
            out.println("HWM main:       " + hwmText(i.hwm().main()));
            out.println("HWM test:       " + hwmText(i.hwm().test()));
            return 0;
        }
    }

    @Command(
            name = "hwm",
            mixinStandardHelpOptions = true,
            description = "Show the device's high watermarks, or raise both with --set (only upward; the device asks"
                    + " for approval on its screen).")
    static final class HwmCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        DeviceOptions device;

        @Option(names = "--set", paramLabel = "LEVEL", description = "raise the main and test HWM to (LEVEL, 0)")
        Integer set;

        @Option(names = "--yes", description = "do not ask for confirmation on the terminal")
        boolean yes;

        @Option(
                names = "--prompt-timeout",
                defaultValue = "120s",
                paramLabel = "D",
                description = "how long to wait for approval on the device (default 120s)")
        String promptTimeout;

        @Option(names = "--json", description = "JSON for scripts")
        boolean json;

        @Override
        public Integer call() throws Exception {
            CommandLine cl = spec.commandLine();
            LedgerUri u = parseUri(cl, device.uri);
            if (set != null && set < 0) {
                throw new CommandLine.ParameterException(cl, "--set: a level is 0 or more, got " + set);
            }
            DeviceConnector connector = device.connector(cl);
            Duration timeout = device.timeout(cl);
            AllHwm hwm;
            try {
                if (set == null) {
                    hwm = LedgerOps.hwm(connector, u, timeout);
                } else {
                    AllHwm before = LedgerOps.hwm(connector, u, timeout);
                    confirm(
                            cl,
                            yes,
                            "Raise the HWMs of " + u.device() + " from " + before + " to level " + set
                                    + " (approve on the device too)?");
                    hwm = LedgerOps.raiseHwm(
                            connector, u, set, timeout, duration(cl, "--prompt-timeout", promptTimeout));
                }
            } catch (IllegalArgumentException e) {
                throw new Bakeguard.UserException(e.getMessage());
            } catch (LedgerException e) {
                throw deviceError(u, device.transport, e);
            }
            PrintWriter out = cl.getOut();
            if (json) {
                ObjectNode n = JSON.createObjectNode();
                n.put("uri", u.text());
                hwmJson(n, hwm);
                out.println(JSON.writeValueAsString(n));
            } else {
                out.println((set == null ? "" : "raised: ") + "main " + hwmText(hwm.main()) + ", test "
                        + hwmText(hwm.test()) + ", main chain id " + hwm.mainChainIdHex());
            }
            return 0;
        }
    }

    @Command(
            name = "simulate",
            mixinStandardHelpOptions = true,
            description = "Run a simulated Ledger (Tezos Baking app, key 44'/1729'/0'/0' authorized) on loopback TCP"
                    + " with Speculos framing, for tests and demos. NOT a security device.")
    static final class Simulate implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--port", required = true, paramLabel = "P", description = "loopback TCP port (0 = any)")
        int port;

        @Option(
                names = "--mnemonic-file",
                paramLabel = "F",
                description = "BIP39 mnemonic of the simulated device (default: 24 x zebra, the app's test seed)")
        Path mnemonicFile;

        @Override
        public Integer call() throws Exception {
            CommandLine cl = spec.commandLine();
            if (port < 0 || port > 65535) {
                throw new CommandLine.ParameterException(cl, "--port must be between 0 and 65535, got " + port);
            }
            String mnemonic = null;
            if (mnemonicFile != null) {
                try {
                    mnemonic = Files.readString(mnemonicFile).strip();
                } catch (NoSuchFileException e) {
                    throw new Bakeguard.UserException(
                            mnemonicFile + " does not exist: give an existing --mnemonic-file");
                }
                if (mnemonic.split("\\s+").length < 12) {
                    throw new Bakeguard.UserException(
                            mnemonicFile + " does not hold a BIP39 mnemonic (12 to 24 words separated by spaces)");
                }
            }
            LedgerSimulator.Running running;
            try {
                running = LedgerSimulator.start(port, mnemonic, true, printStream(cl.getOut()));
            } catch (IOException e) {
                throw new Bakeguard.UserException(e.getMessage() + "; choose another --port");
            } catch (IllegalArgumentException e) {
                throw new Bakeguard.UserException("bad --mnemonic-file " + mnemonicFile + ": " + e.getMessage());
            }
            try (running) {
                cl.getOut().println("Running until stopped (Ctrl-C).");
                cl.getOut().flush();
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0;
        }
    }

    @Command(
            name = "bridge",
            mixinStandardHelpOptions = true,
            description = "Expose a local Ledger to remote replicas over mutual TLS 1.3 (their transport:"
                    + " tls://HOST:PORT). Only clients whose certificate is in --allow may connect.")
    static final class Bridge implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(
                names = "--device",
                required = true,
                paramLabel = "URI",
                description = "the Ledger, ledger://<root tz1 or short id>[/...]")
        String device;

        @Option(names = "--listen", required = true, paramLabel = "ADDR", description = "HOST:PORT to listen on")
        String listen;

        @Option(
                names = "--transport",
                defaultValue = "hid",
                paramLabel = "T",
                description = "where the device is: hid (default) or tcp://HOST:PORT (Speculos, `ledger simulate`)")
        String transport;

        @CommandLine.Mixin
        ClientTls tls;

        @Option(
                names = "--allow",
                paramLabel = "SHA256",
                description = "SHA-256 fingerprint of a replica's certificate (repeat for each replica)")
        List<String> allow = new ArrayList<>();

        @Option(
                names = "--allow-subject",
                paramLabel = "DN",
                description = "RFC 2253 subject of a replica's certificate issued by a --trust CA (repeatable)")
        List<String> allowSubjects = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            CommandLine cl = spec.commandLine();
            LedgerUri u = parseUri(cl, device);
            HostPort bind;
            try {
                bind = HostPort.parse(listen);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cl, "--listen: " + e.getMessage());
            }
            if (allow.isEmpty() && allowSubjects.isEmpty()) {
                throw new CommandLine.ParameterException(
                        cl, "give --allow FINGERPRINT (or --allow-subject DN) for each replica that may connect");
            }
            if (transport.trim().startsWith("tls://")) {
                throw new CommandLine.ParameterException(cl, "--transport: a bridge serves hid or tcp:// devices");
            }
            CertificateAllowList list;
            try {
                list = new CertificateAllowList(Set.copyOf(allow), Set.copyOf(allowSubjects));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cl, "--allow: " + e.getMessage());
            }
            DeviceConnector connector;
            try {
                connector = LedgerSigners.connector(transport, Optional.empty());
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cl, "--transport: " + e.getMessage());
            }
            TlsMaterial material = tls.material();
            LedgerBridgeServer server;
            try {
                server = LedgerBridgeServer.start(
                        connector, u.device(), bind.toSocketAddress(), material, list, Duration.ofSeconds(5));
            } catch (IOException e) {
                throw new Bakeguard.UserException(
                        "cannot listen on " + listen + ": " + e.getMessage() + "; choose another --listen");
            }
            try (server) {
                cl.getOut()
                        .println("Ledger bridge for " + u.device() + " (" + connector.describe() + ") on "
                                + bind.host() + ":" + server.port() + "; replicas use transport: tls://<this host>:"
                                + server.port());
                cl.getOut().flush();
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0;
        }
    }

    static LedgerUri parseUri(CommandLine cl, String text) {
        try {
            return LedgerUri.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(
                    cl, e.getMessage() + " (expected ledger://<root tz1 or short id>/<curve>/<path>)");
        }
    }

    static Duration duration(CommandLine cl, String option, String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, option + ": " + e.getMessage());
        }
    }

    static TlsMaterial pem(Path certificate, Path privateKey, Path trust) throws Bakeguard.UserException {
        try {
            return TlsMaterial.fromPem(certificate, privateKey, trust);
        } catch (IOException | IllegalArgumentException e) {
            throw new Bakeguard.UserException("cannot read the TLS files: " + e.getMessage()
                    + "; give PEM files (certificate chain, PKCS#8 private key, trusted certificates)");
        }
    }

    static Bakeguard.UserException deviceError(LedgerUri uri, String transport, LedgerException e) {
        String what = e.getMessage();
        String hint;
        if (e instanceof LedgerException.DeviceLocked) {
            hint = "unlock the device with its PIN";
        } else if (e instanceof LedgerException.AppNotOpen || e instanceof LedgerException.WrongApp) {
            hint = "open the Tezos Baking app on the device";
        } else if (e instanceof LedgerException.UserRejected) {
            hint = "approve on the device to go on";
        } else if (e instanceof LedgerException.DeviceUnavailable) {
            hint = transport.trim().equals("hid")
                    ? "check `bakeguard ledger list`: plug it in, unlock it, open the Tezos Baking app, and stop"
                            + " any replica that holds it"
                    : "check that " + transport + " is running and reachable";
        } else {
            hint = "check the device and the Tezos Baking app";
        }
        return new Bakeguard.UserException("Ledger " + uri.device() + ": " + what + "; " + hint);
    }

    static void confirm(CommandLine cl, boolean yes, String question) throws Bakeguard.UserException {
        if (yes) {
            return;
        }
        Console console = System.console();
        if (console == null) {
            throw new Bakeguard.UserException("no terminal to confirm on: pass --yes to raise the device HWM");
        }
        String answer = console.readLine("%s [y/N] ", question);
        if (answer == null || !answer.strip().toLowerCase(Locale.ROOT).matches("y|yes")) {
            throw new Bakeguard.UserException("not confirmed: nothing was changed");
        }
    }

    private static String hwmText(Hwm h) {
        return "level " + h.level() + " round " + h.round();
    }

    private static void hwmJson(ObjectNode n, AllHwm hwm) {
        ObjectNode main = n.putObject("main_hwm");
        main.put("level", hwm.main().level());
        main.put("round", hwm.main().round());
        ObjectNode test = n.putObject("test_hwm");
        test.put("level", hwm.test().level());
        test.put("round", hwm.test().round());
        n.put("main_chain_id_hex", hwm.mainChainIdHex());
    }

    /** The simulator prints to a PrintStream; this forwards to the command's writer. */
    private static PrintStream printStream(PrintWriter w) {
        return new PrintStream(
                new OutputStream() {
                    @Override
                    public void write(int b) {
                        w.write(b);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) {
                        w.write(new String(b, off, len, StandardCharsets.UTF_8));
                    }

                    @Override
                    public void flush() {
                        w.flush();
                    }
                },
                true,
                StandardCharsets.UTF_8);
    }
}
