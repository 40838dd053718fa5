package io.bakeguard.ledger.signer;

import io.bakeguard.ledger.apdu.ApduTransport;
import io.bakeguard.ledger.apdu.SpeculosTcpTransport;
import java.time.Duration;
import java.util.List;

/** One device behind a Speculos-framed TCP port (Speculos, or {@code bakeguard ledger simulate}). */
public final class TcpConnector implements DeviceConnector {
    private final String host;
    private final int port;
    private final Duration connectTimeout;

    public TcpConnector(String host, int port, Duration connectTimeout) {
        this.host = host;
        this.port = port;
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
            public ApduTransport open() throws java.io.IOException {
                return SpeculosTcpTransport.connect(host, port, connectTimeout);
            }
        });
    }

    @Override
    public String describe() {
        return "tcp://" + host + ":" + port;
    }
}
