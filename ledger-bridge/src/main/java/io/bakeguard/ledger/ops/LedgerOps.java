package io.bakeguard.ledger.ops;

import io.bakeguard.core.crypto.Base58Check;
import io.bakeguard.core.crypto.Prefix;
import io.bakeguard.ledger.apdu.HidApduTransport;
import io.bakeguard.ledger.apdu.TransportException;
import io.bakeguard.ledger.app.AllHwm;
import io.bakeguard.ledger.app.AppVersion;
import io.bakeguard.ledger.app.AuthorizedKey;
import io.bakeguard.ledger.app.Bip32Path;
import io.bakeguard.ledger.app.DeviceKey;
import io.bakeguard.ledger.app.LedgerCurve;
import io.bakeguard.ledger.app.LedgerException;
import io.bakeguard.ledger.app.TezosBakingApp;
import io.bakeguard.ledger.hid.HidDeviceInfo;
import io.bakeguard.ledger.hid.LedgerDeviceFinder;
import io.bakeguard.ledger.signer.DeviceConnector;
import io.bakeguard.ledger.signer.DeviceSession;
import io.bakeguard.ledger.signer.LedgerUri;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The operator commands {@code bakeguard ledger list | info URI | hwm URI [--set LEVEL]} as plain
 * methods (design.md s.6); the CLI only parses options, asks for confirmation and prints. Never run
 * these against a device a running replica holds (one process per device, spec s.7 item 11).
 */
public final class LedgerOps {
    private LedgerOps() {}

    /**
     * One plugged Ledger.
     *
     * @param path HID path
     * @param model from the product id
     * @param app the app in front ("Tezos Baking 2.5.1"), or why it could not be read
     * @param rootPkh the device-ID key's tz1, empty when the device did not answer
     * @param shortId Signatory's 8-hex short ID of the root key, empty likewise
     */
    public record DeviceListing(
            String path, String model, String app, Optional<String> rootPkh, Optional<String> shortId) {}

    /** Enumerates the Ledgers on HID and asks each for its app and root key (no prompt). */
    public static List<DeviceListing> list(LedgerDeviceFinder finder, Duration timeout) throws IOException {
        List<DeviceListing> out = new ArrayList<>();
        for (HidDeviceInfo info : finder.enumerate()) {
            String app;
            Optional<String> root = Optional.empty();
            Optional<String> shortId = Optional.empty();
            try (HidApduTransport t = new HidApduTransport(finder.open(info))) {
                TezosBakingApp a = new TezosBakingApp(t, timeout);
                try {
                    app = a.version().toString();
                    DeviceKey k = a.getPublicKey(LedgerCurve.ED25519, Bip32Path.TEZOS_ROOT);
                    root = Optional.of(k.publicKeyHash());
                    shortId = Optional.of(HexFormat.of().formatHex(k.hash(), 0, 4));
                } catch (LedgerException e) {
                    app = e.getMessage();
                } catch (TransportException e) {
                    app = "no answer: " + e.getMessage();
                }
            } catch (IOException e) {
                app = "cannot open: " + e.getMessage();
            }
            out.add(new DeviceListing(info.path(), info.model(), app, root, shortId));
        }
        return out;
    }

    /**
     * What {@code ledger info URI} prints.
     *
     * @param version the app and its version
     * @param git the app's commit
     * @param key the key the URI names (its tz address)
     * @param authorized the device's authorized baking key, empty when none
     * @param authorizedKeyMatches whether it is the URI's key
     * @param mainChainId base58 {@code Net...} (NetXH12Aer3be93 = not set: every chain is main)
     * @param hwm the device's main and test HWMs
     */
    public record DeviceInfo(
            AppVersion version,
            String git,
            DeviceKey key,
            Optional<AuthorizedKey> authorized,
            boolean authorizedKeyMatches,
            String mainChainId,
            AllHwm hwm) {}

    public static DeviceInfo info(DeviceConnector connector, LedgerUri uri, Duration timeout) throws LedgerException {
        try (DeviceSession s = DeviceSession.open(connector, uri.device(), timeout)) {
            TezosBakingApp a = s.app();
            try {
                DeviceKey key = a.getPublicKey(uri.curve(), uri.path());
                Optional<AuthorizedKey> auth = a.queryAuthKeyWithCurve();
                boolean matches = auth.isPresent()
                        && auth.get().curve() == uri.curve()
                        && auth.get().path().equals(uri.path());
                AllHwm hwm = a.queryAllHwm();
                return new DeviceInfo(
                        s.version(),
                        a.git(),
                        key,
                        auth,
                        matches,
                        Base58Check.encode(Prefix.CHAIN_ID, hwm.mainChainId()),
                        hwm);
            } catch (TransportException e) {
                throw new LedgerException.DeviceUnavailable(s.label() + ": " + e.getMessage(), e);
            }
        }
    }

    /** {@code ledger hwm URI}: the device's HWMs. */
    public static AllHwm hwm(DeviceConnector connector, LedgerUri uri, Duration timeout) throws LedgerException {
        try (DeviceSession s = DeviceSession.open(connector, uri.device(), timeout)) {
            return s.app().queryAllHwm();
        } catch (TransportException e) {
            throw new LedgerException.DeviceUnavailable(e.getMessage(), e);
        }
    }

    /**
     * {@code ledger hwm URI --set LEVEL}: RESET (the device prompts; a human must approve within
     * {@code promptTimeout}). Only upward: RESET moves both the main and the test HWM to (LEVEL, 0), so
     * LEVEL must be above both, or a watermark would go down.
     *
     * @throws IllegalArgumentException when LEVEL is not above both HWMs (nothing is sent)
     */
    public static AllHwm raiseHwm(
            DeviceConnector connector, LedgerUri uri, int level, Duration timeout, Duration promptTimeout)
            throws LedgerException {
        try (DeviceSession s = DeviceSession.open(connector, uri.device(), timeout)) {
            AllHwm before = s.app().queryAllHwm();
            int highest = Math.max(before.main().level(), before.test().level());
            if (level <= highest) {
                throw new IllegalArgumentException("the device HWM only moves up: level " + level
                        + " is not above its current " + before + "; nothing was changed");
            }
            s.app().reset(level, promptTimeout);
            return s.app().queryAllHwm();
        } catch (TransportException e) {
            throw new LedgerException.DeviceUnavailable(e.getMessage(), e);
        }
    }
}
