package io.bakeguard.ledger.sim;

import io.bakeguard.ledger.app.Bip32Path;
import io.bakeguard.ledger.app.DeviceKey;
import io.bakeguard.ledger.app.LedgerCurve;
import io.bakeguard.ledger.app.LedgerException;
import java.io.IOException;
import java.io.PrintStream;

/**
 * {@code bakeguard ledger simulate --port P}: a simulated Ledger with the Tezos Baking app open,
 * reachable with Speculos' TCP framing on loopback ({@code transport: tcp://127.0.0.1:P}). Not a
 * security device: its seed is given on the command line or is the well-known test mnemonic.
 */
public final class LedgerSimulator {
    /** The key {@code ledger://ROOT/ed25519/0h/0h} names. */
    public static final Bip32Path DEFAULT_KEY = Bip32Path.parse("44'/1729'/0'/0'");

    private LedgerSimulator() {}

    /**
     * Starts a simulator and returns it running; close it to stop.
     *
     * @param port loopback TCP port (0 = any free port)
     * @param mnemonic BIP39 mnemonic of the simulated device (null = 24 x zebra, the app's test seed)
     * @param out where to print how to reach it
     */
    public static Running start(int port, String mnemonic, boolean authorizeDefaultKey, PrintStream out)
            throws IOException {
        String m = mnemonic == null || mnemonic.isBlank() ? KeyDerivation.ZEBRA_MNEMONIC : mnemonic;
        SimulatedLedger device = new SimulatedLedger("simulated", m);
        if (authorizeDefaultKey) {
            // SETUP as an operator would: ed25519 44'/1729'/0'/0', no main chain, HWMs at level 0.
            byte[] path = DEFAULT_KEY.encode();
            byte[] apdu = new byte[5 + 12 + path.length];
            apdu[0] = (byte) 0x80;
            apdu[1] = 0x0A;
            apdu[4] = (byte) (12 + path.length);
            System.arraycopy(path, 0, apdu, 17, path.length);
            SimulatedLedger.Outcome o = device.exchange(apdu);
            if (o.reply().isEmpty() || !o.reply().get().ok()) {
                device.close();
                throw new IllegalStateException("simulated SETUP failed: " + o);
            }
        }
        SpeculosTcpServer server;
        try {
            server = new SpeculosTcpServer(device, port);
        } catch (IOException e) {
            device.close();
            throw new IOException("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
        String root = rootPkh(device);
        out.println("Simulated Ledger (Tezos Baking 2.5.1 model) on tcp://127.0.0.1:" + server.port());
        out.println("device root key: " + root);
        out.println("config: ledger: ledger://" + root + "/ed25519/0h/0h");
        out.println("        transport: tcp://127.0.0.1:" + server.port());
        out.println(
                authorizeDefaultKey
                        ? "Authorized baking key: ed25519 44'/1729'/0'/0' (SETUP at level 0, no main chain)."
                        : "No key authorized yet: run SETUP; prompts are approved automatically.");
        return new Running(device, server, root);
    }

    /** Runs until the thread is interrupted (the CLI's foreground mode). */
    public static void run(int port, String mnemonic) throws IOException, InterruptedException {
        try (Running r = start(port, mnemonic, true, System.out)) {
            Thread.currentThread().join();
        }
    }

    private static String rootPkh(SimulatedLedger device) {
        try {
            return DeviceKey.fromReply(
                            LedgerCurve.ED25519, device.publicKeyReply(LedgerCurve.ED25519, Bip32Path.TEZOS_ROOT))
                    .publicKeyHash();
        } catch (LedgerException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A running simulator. */
    public record Running(SimulatedLedger device, SpeculosTcpServer server, String rootPkh) implements AutoCloseable {
        public int port() {
            return server.port();
        }

        @Override
        public void close() {
            server.close();
            device.close();
        }
    }
}
