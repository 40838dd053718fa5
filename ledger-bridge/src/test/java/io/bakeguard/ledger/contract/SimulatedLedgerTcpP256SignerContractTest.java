package io.bakeguard.ledger.contract;

import io.bakeguard.core.signer.Signer;
import io.bakeguard.ledger.testing.SimulatedLedgerSigners;

/** The signer contract against a Ledger signer talking to the simulated device (P-256, Tcp). */
class SimulatedLedgerTcpP256SignerContractTest extends SignerContractTest {
    private SimulatedLedgerSigners fixture;

    @Override
    protected Signer createSigner() throws Exception {
        fixture = SimulatedLedgerSigners.overTcp("P-256");
        return fixture.signer();
    }

    @Override
    protected void release() {
        fixture.close();
    }
}
