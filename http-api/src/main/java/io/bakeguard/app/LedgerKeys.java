package io.bakeguard.app;

import io.bakeguard.app.config.BakeguardConfig.TransportTlsConfig;
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
 * Opens {@code keys: - ledger: ledger://...} entries (design.md s.3) with ledger-bridge's factory.
 *
 * <p>The device must answer at start: the key's address (the {@code /keys/{pkh}} the bakers use)
 * is read from the device, so a replica cannot serve a Ledger key it has never seen. Once started,
 * an unplugged, locked or unreachable device does not stop the replica: the signer reconnects with
 * backoff, signing requests fail cleanly meanwhile, and {@code bakeguard_ledger_connected{device}}
 * is 0 until it is back.
 */
final class LedgerKeys {
    private LedgerKeys() {}

    static List<ManagedKey> open(
            String uri,
            Optional<String> transport,
            Optional<TransportTlsConfig> transportTls,
            KeyPolicy policy,
            String at,
            String file)
            throws ConfigException {
        Optional<TlsMaterial> tls = Optional.empty();
        if (transportTls.isPresent()) {
            TransportTlsConfig t = transportTls.get();
            try {
                tls = Optional.of(TlsMaterial.fromPem(t.certificate(), t.privateKey(), t.trust()));
            } catch (IOException | IllegalArgumentException e) {
                throw new ConfigException(
                        "bad value for '" + at + ".transport-tls' in " + file + ": " + e.getMessage());
            }
        }
        String how = transport.orElse("hid");
        try {
            LedgerSigner signer = LedgerSigners.create(uri, how, tls, LedgerSigner.Options.defaults());
            return List.of(new ManagedKey(signer, policy));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("bad value for '" + at + "' in " + file + ": " + e.getMessage());
        } catch (LedgerException e) {
            throw new ConfigException(at + " in " + file + ": cannot use the Ledger " + uri + " over " + how + ": "
                    + e.getMessage() + "; " + remedy(how));
        }
    }

    private static String remedy(String transport) {
        if (transport.startsWith("tls://")) {
            return "start `bakeguard ledger bridge` on the device's host, check that its --allow list holds this"
                    + " replica's certificate, then start again";
        }
        if (transport.startsWith("tcp://")) {
            return "start the simulator or Speculos at " + transport + ", then start again";
        }
        return "plug the Ledger in, unlock it, open the Tezos Baking app (check with `bakeguard ledger list`),"
                + " then start again";
    }
}
