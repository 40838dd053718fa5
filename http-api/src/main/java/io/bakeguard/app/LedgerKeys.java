package io.bakeguard.app;

import io.bakeguard.app.config.BakeguardConfig.RaftTlsConfig;
import io.bakeguard.app.config.ConfigException;
import io.bakeguard.core.policy.KeyPolicy;
import io.bakeguard.http.KeyRing.ManagedKey;
import io.bakeguard.ledger.app.LedgerException;
import io.bakeguard.ledger.bridge.TlsMaterial;
import io.bakeguard.ledger.signer.LedgerSigner;
import io.bakeguard.ledger.signer.LedgerSigners;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Opens {@code keys: - ledger: ledger://...} entries with the ledger-bridge module's factory
 * ({@link LedgerSigners#create}): {@code transport: hid} (default), {@code tcp://HOST:PORT}
 * (Speculos or {@code bakeguard ledger simulate}) or {@code tls://HOST:PORT} (a {@code bakeguard
 * ledger bridge}, with {@code tls:} client material). A device that cannot be used stops the start
 * with its error: a ledger entry is never silently ignored.
 */
final class LedgerKeys {
    private LedgerKeys() {}

    static List<ManagedKey> open(
            String uri,
            Optional<String> transport,
            Optional<RaftTlsConfig> tls,
            KeyPolicy policy,
            String at,
            String file)
            throws ConfigException {
        Optional<TlsMaterial> material = Optional.empty();
        if (tls.isPresent()) {
            try {
                material = Optional.of(TlsMaterial.fromPem(
                        tls.get().certificate(),
                        tls.get().privateKey(),
                        tls.get().trust()));
            } catch (IOException | RuntimeException e) {
                throw new ConfigException(at + ".tls in " + file + ": cannot read the PEM files: " + e.getMessage());
            }
        }
        try {
            LedgerSigner signer =
                    LedgerSigners.create(uri, transport.orElse("hid"), material, LedgerSigner.Options.defaults());
            return List.of(new ManagedKey(signer, policy));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("bad value for '" + at + "' in " + file + ": " + e.getMessage());
        } catch (LedgerException e) {
            throw new ConfigException(at + " in " + file + ": cannot use the Ledger " + uri + " over "
                    + transport.orElse("hid") + ": " + e.getMessage()
                    + " (is it connected, unlocked, with the Tezos Baking app open?)");
        }
    }
}
