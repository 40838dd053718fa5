package io.bakeguard.ledger.contract;

import io.bakeguard.core.signer.Signer;
import io.bakeguard.ledger.testing.SimulatedLedgerSigners;

/** The signer contract against a Ledger signer talking to the simulated device (ed25519, Hid). */
class SimulatedLedgerHidEd25519SignerContractTest extends SignerContractTest {
    private SimulatedLedgerSigners fixture;

    @Override
    protected Signer createSigner() throws Exception {
        fixture = SimulatedLedgerSigners.overHid("ed25519");
        return fixture.signer();
    }

    @Override
    protected void release() {
        fixture.close();
    }
}
