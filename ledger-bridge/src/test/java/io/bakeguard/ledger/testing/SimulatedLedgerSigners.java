package io.bakeguard.ledger.testing;

import io.bakeguard.ledger.signer.LedgerSigner;
import io.bakeguard.ledger.signer.LedgerUri;
import io.bakeguard.ledger.signer.TcpConnector;
import io.bakeguard.ledger.sim.SimulatedHidBus;
import io.bakeguard.ledger.sim.SimulatedLedger;
import io.bakeguard.ledger.sim.SpeculosTcpServer;
import java.time.Duration;

/**
 * A ready Ledger signer in front of a fresh simulated device (zebra seed, set up on chain 00000000 at
 * level 0), over HID framing or over Speculos TCP. For this module's tests and for http-api's (test-jar).
 */
public final class SimulatedLedgerSigners implements AutoCloseable {
    private final SimulatedLedger device;
    private final SpeculosTcpServer server;
    private final LedgerSigner signer;

    private SimulatedLedgerSigners(SimulatedLedger device, SpeculosTcpServer server, LedgerSigner signer) {
        this.device = device;
        this.server = server;
        this.signer = signer;
    }

    /** @param curve octez curve name: ed25519, secp256k1, P-256 */
    public static SimulatedLedgerSigners overHid(String curve) throws Exception {
        SimulatedLedger device = SimulatedSetup.zebra("hid-" + curve);
        SimulatedHidBus bus = new SimulatedHidBus(device);
        LedgerUri uri = SimulatedSetup.uri(curve);
        SimulatedSetup.setup(bus, TezosMessages.CHAIN_0, 0, 0, uri);
        return new SimulatedLedgerSigners(device, null, SimulatedSetup.hidSigner(bus, uri));
    }

    /** @param curve octez curve name: ed25519, secp256k1, P-256 */
    public static SimulatedLedgerSigners overTcp(String curve) throws Exception {
        SimulatedLedger device = SimulatedSetup.zebra("tcp-" + curve);
        SimulatedHidBus bus = new SimulatedHidBus(device);
        LedgerUri uri = SimulatedSetup.uri(curve);
        SimulatedSetup.setup(bus, TezosMessages.CHAIN_0, 0, 0, uri);
        SpeculosTcpServer server = new SpeculosTcpServer(device, 0);
        LedgerSigner signer = LedgerSigner.open(
                uri, new TcpConnector("127.0.0.1", server.port(), Duration.ofSeconds(1)), SimulatedSetup.testOptions());
        return new SimulatedLedgerSigners(device, server, signer);
    }

    public SimulatedLedger device() {
        return device;
    }

    public LedgerSigner signer() {
        return signer;
    }

    @Override
    public void close() {
        signer.close();
        if (server != null) {
            server.close();
        }
        device.close();
    }
}
