package io.bakeguard.app;

import io.bakeguard.app.config.ConfigException;
import io.bakeguard.core.policy.KeyPolicy;
import io.bakeguard.http.KeyRing.ManagedKey;
import java.util.List;
import java.util.Optional;

/**
 * The ledger-bridge integration point for {@code keys: - ledger: ledger://...} entries.
 *
 * <p>The entry is validated by the config loader (URI form, {@code transport} only with {@code
 * ledger}); opening it is the ledger-bridge module's job: replace the body of {@link #open} with a
 * call to its factory, returning one {@link ManagedKey} whose {@code Signer} is the device's signer.
 * Until then a ledger entry stops the start with a clear error: it is never silently ignored.
 */
final class LedgerKeys {
    private LedgerKeys() {}

    static List<ManagedKey> open(String uri, Optional<String> transport, KeyPolicy policy, String at, String file)
            throws ConfigException {
        throw new ConfigException(at + " in " + file + ": ledger keys need the ledger-bridge module, which is not"
                + " available in this build; remove the ledger entry or use a build that includes it");
    }
}
