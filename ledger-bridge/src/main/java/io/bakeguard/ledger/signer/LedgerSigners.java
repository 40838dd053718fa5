package io.bakeguard.ledger.signer;

import io.bakeguard.ledger.app.LedgerException;
import io.bakeguard.ledger.bridge.TlsConnector;
import io.bakeguard.ledger.bridge.TlsMaterial;
import io.bakeguard.ledger.hid.Hid4javaDeviceFinder;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Optional;

/**
 * Builds a {@link LedgerSigner} from a config entry (design.md s.3):
 *
 * <pre>
 *   - ledger: ledger://tz1RootKeyOfTheDevice/ed25519/0h/0h
 *     transport: hid | tcp://127.0.0.1:9999 | tls://signer-host:9999
 * </pre>
 */
public final class LedgerSigners {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

    private LedgerSigners() {}

    /**
     * Opens the Ledger signer a {@code ledger:} key entry names.
     *
     * @param ledgerUri the {@code ledger:} value
     * @param transport the {@code transport:} value ({@code hid} when absent)
     * @param tls client certificate, key and trust for a {@code tls://} transport (required for it)
     * @param options timeouts and backoff ({@link LedgerSigner.Options#defaults()})
     * @throws IllegalArgumentException for a bad URI or transport, with a message naming the value
     * @throws LedgerException when the device cannot be used now (locked, absent, other app, ...)
     */
    public static LedgerSigner create(
            String ledgerUri, String transport, Optional<TlsMaterial> tls, LedgerSigner.Options options)
            throws LedgerException {
        LedgerUri uri = LedgerUri.parse(ledgerUri);
        return LedgerSigner.open(uri, connector(transport, tls), options);
    }

    /** The connector a {@code transport:} value names. */
    public static DeviceConnector connector(String transport, Optional<TlsMaterial> tls) {
        String t = transport == null || transport.isBlank() ? "hid" : transport.trim();
        if (t.equals("hid")) {
            return new HidConnector(new Hid4javaDeviceFinder());
        }
        URI u;
        try {
            u = new URI(t);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("transport must be hid, tcp://HOST:PORT or tls://HOST:PORT, got " + t);
        }
        if (u.getHost() == null
                || u.getPort() < 0
                || (u.getPath() != null && !u.getPath().isEmpty())) {
            throw new IllegalArgumentException("transport must be hid, tcp://HOST:PORT or tls://HOST:PORT, got " + t);
        }
        switch (String.valueOf(u.getScheme())) {
            case "tcp":
                return new TcpConnector(u.getHost(), u.getPort(), CONNECT_TIMEOUT);
            case "tls":
                TlsMaterial m = tls.orElseThrow(() -> new IllegalArgumentException(
                        "transport " + t + " needs a client certificate, key and trust (tls:)"));
                try {
                    return new TlsConnector(u.getHost(), u.getPort(), m.clientContext(), CONNECT_TIMEOUT);
                } catch (GeneralSecurityException | IOException e) {
                    throw new IllegalArgumentException("bad TLS material for " + t + ": " + e.getMessage(), e);
                }
            default:
                throw new IllegalArgumentException(
                        "transport must be hid, tcp://HOST:PORT or tls://HOST:PORT, got " + t);
        }
    }
}
