package io.bakeguard.ledger.bridge;

import io.bakeguard.ledger.apdu.ApduTransport;
import io.bakeguard.ledger.apdu.SpeculosTcpTransport;
import io.bakeguard.ledger.apdu.TransportException;
import io.bakeguard.ledger.signer.DeviceConnector;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * Replica side of {@code transport: tls://host:port}: APDUs in Speculos framing over mutual TLS to a
 * {@link LedgerBridgeServer}. A new connection per session; the signer reconnects after failures.
 */
public final class TlsConnector implements DeviceConnector {
    private final String host;
    private final int port;
    private final SSLContext context;
    private final Duration connectTimeout;

    public TlsConnector(String host, int port, SSLContext context, Duration connectTimeout) {
        this.host = host;
        this.port = port;
        this.context = context;
        this.connectTimeout = connectTimeout;
    }

    @Override
    public List<Candidate> candidates() {
        return List.of(new Candidate() {
            @Override
            public String label() {
                return describe();
            }

            @Override
            public ApduTransport open() throws IOException {
                return connect();
            }
        });
    }

    /** Connects and completes the handshake (our certificate presented, the bridge's verified). */
    public SpeculosTcpTransport connect() throws TransportException {
        SSLSocket s = null;
        try {
            s = (SSLSocket) context.getSocketFactory().createSocket();
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
            s.setSoTimeout((int) connectTimeout.toMillis());
            s.startHandshake();
            return new SpeculosTcpTransport(s, describe());
        } catch (IOException e) {
            if (s != null) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // already broken
                }
            }
            throw new TransportException("cannot reach the Ledger bridge " + describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return "tls://" + host + ":" + port;
    }
}
