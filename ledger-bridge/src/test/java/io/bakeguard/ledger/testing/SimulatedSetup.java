package io.bakeguard.ledger.testing;

import io.bakeguard.ledger.apdu.HidApduTransport;
import io.bakeguard.ledger.app.Bip32Path;
import io.bakeguard.ledger.app.DeviceKey;
import io.bakeguard.ledger.app.LedgerCurve;
import io.bakeguard.ledger.app.TezosBakingApp;
import io.bakeguard.ledger.hid.HidDeviceInfo;
import io.bakeguard.ledger.signer.HidConnector;
import io.bakeguard.ledger.signer.LedgerSigner;
import io.bakeguard.ledger.signer.LedgerUri;
import io.bakeguard.ledger.sim.SimulatedHidBus;
import io.bakeguard.ledger.sim.SimulatedLedger;
import java.time.Duration;

/** Helpers to prepare a simulated Ledger (SETUP with the operator approving) and sign through it. */
public final class SimulatedSetup {
    /** Root of the zebra seed (spec/ledger-baking-apdu.md s.3.9). */
    public static final String ZEBRA_ROOT = "tz1hnWLTrBX8JrSJJX7FfgoYTgv25HgaAuqL";

    private SimulatedSetup() {}

    /** Fast options for tests: short backoff and probes, bounded waits. */
    public static LedgerSigner.Options testOptions() {
        return LedgerSigner.Options.defaults()
                .withExchangeTimeout(Duration.ofMillis(500))
                .withSignTimeout(Duration.ofSeconds(5))
                .withBackoff(Duration.ofMillis(50), Duration.ofMillis(400))
                .withProbeInterval(Duration.ofMillis(200));
    }

    /** SETUP over a fresh HID handle: authorizes the key, sets chain id and both HWMs to (level, 0). */
    public static DeviceKey setup(SimulatedHidBus bus, byte[] chainId, int mainLevel, int testLevel, LedgerUri uri)
            throws Exception {
        HidDeviceInfo info = bus.enumerate().get(0);
        try (HidApduTransport t = new HidApduTransport(bus.open(info))) {
            return new TezosBakingApp(t, Duration.ofSeconds(2))
                    .setup(chainId, mainLevel, testLevel, uri.curve(), uri.path(), Duration.ofSeconds(2));
        }
    }

    public static LedgerUri uri(String curve) {
        return LedgerUri.parse("ledger://" + ZEBRA_ROOT + "/" + curve + "/0h/0h");
    }

    public static LedgerSigner hidSigner(SimulatedHidBus bus, LedgerUri uri) throws Exception {
        return LedgerSigner.open(uri, new HidConnector(bus), testOptions());
    }

    /** Bip32 path of the default account. */
    public static Bip32Path account() {
        return Bip32Path.parse("44'/1729'/0'/0'");
    }

    public static SimulatedLedger zebra(String name) {
        return new SimulatedLedger(name, io.bakeguard.ledger.sim.KeyDerivation.ZEBRA_MNEMONIC);
    }

    /** Device curve for a URI curve name. */
    public static LedgerCurve curve(String name) {
        return LedgerCurve.ofUriName(name).orElseThrow();
    }
}
