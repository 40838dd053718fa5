package io.bakeguard.ledger.signer;

import io.bakeguard.ledger.apdu.ApduTransport;
import io.bakeguard.ledger.apdu.TransportException;
import io.bakeguard.ledger.app.AppVersion;
import io.bakeguard.ledger.app.Bip32Path;
import io.bakeguard.ledger.app.DeviceKey;
import io.bakeguard.ledger.app.LedgerCurve;
import io.bakeguard.ledger.app.LedgerException;
import io.bakeguard.ledger.app.TezosBakingApp;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An opened, identified device: the Baking app is in front (VERSION class {@code 01}) and the root key
 * at {@code 44'/1729'} matches the selector (spec/ledger-baking-apdu.md s.7 item 1 recovery steps).
 */
public final class DeviceSession implements AutoCloseable {
    private final TezosBakingApp app;
    private final String label;
    private final DeviceKey rootKey;
    private final AppVersion version;

    private DeviceSession(TezosBakingApp app, String label, DeviceKey rootKey, AppVersion version) {
        this.app = app;
        this.label = label;
        this.rootKey = rootKey;
        this.version = version;
    }

    /**
     * Opens every candidate in turn and keeps the first whose root key matches.
     *
     * @throws LedgerException the most telling reason no device could be used: locked, app not open,
     *     wrong app, or unavailable (none found, none matched, I/O errors)
     */
    public static DeviceSession open(DeviceConnector connector, DeviceSelector selector, Duration timeout)
            throws LedgerException {
        List<DeviceConnector.Candidate> candidates;
        try {
            candidates = connector.candidates();
        } catch (IOException e) {
            throw new LedgerException.DeviceUnavailable(
                    "cannot enumerate Ledger devices (" + connector.describe() + "): " + e.getMessage(), e);
        }
        LedgerException best = null;
        List<String> seen = new ArrayList<>();
        for (DeviceConnector.Candidate c : candidates) {
            ApduTransport t;
            try {
                t = c.open();
            } catch (IOException e) {
                best = prefer(best, new LedgerException.DeviceUnavailable(c.label() + ": " + e.getMessage(), e));
                continue;
            }
            try {
                TezosBakingApp app = new TezosBakingApp(t, timeout);
                AppVersion v = app.version();
                DeviceKey root = app.getPublicKey(LedgerCurve.ED25519, Bip32Path.TEZOS_ROOT);
                if (!selector.matches(root)) {
                    seen.add(root.publicKeyHash());
                    t.close();
                    continue;
                }
                if (!v.isBaking()) {
                    t.close();
                    throw new LedgerException.WrongApp("the Ledger " + selector + " runs " + v
                            + ", not the Tezos Baking app: open the Baking app");
                }
                return new DeviceSession(app, c.label(), root, v);
            } catch (LedgerException e) {
                t.close();
                best = prefer(best, e);
            } catch (TransportException e) {
                t.close();
                best = prefer(best, new LedgerException.DeviceUnavailable(c.label() + ": " + e.getMessage(), e));
            }
        }
        if (best != null) {
            throw best;
        }
        throw new LedgerException.DeviceUnavailable("no Ledger with root key " + selector + " on "
                + connector.describe() + (seen.isEmpty() ? " (no device found)" : " (found " + seen + ")"));
    }

    /** Locked, wrong app and app-not-open say more than a generic I/O failure. */
    private static LedgerException prefer(LedgerException current, LedgerException next) {
        if (current == null || current instanceof LedgerException.DeviceUnavailable) {
            return next;
        }
        return current;
    }

    public TezosBakingApp app() {
        return app;
    }

    public String label() {
        return label;
    }

    public DeviceKey rootKey() {
        return rootKey;
    }

    public AppVersion version() {
        return version;
    }

    @Override
    public void close() {
        app.transport().close();
    }
}
