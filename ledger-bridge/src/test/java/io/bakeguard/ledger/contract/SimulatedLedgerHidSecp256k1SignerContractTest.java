package io.bakeguard.ledger.contract;

import io.bakeguard.core.signer.Signer;
import io.bakeguard.ledger.testing.SimulatedLedgerSigners;

/** The signer contract against a Ledger signer talking to the simulated device (secp256k1, Hid). */
class SimulatedLedgerHidSecp256k1SignerContractTest extends SignerContractTest {
    private SimulatedLedgerSigners fixture;

    @Override
    protected Signer createSigner() throws Exception {
        fixture = SimulatedLedgerSigners.overHid("secp256k1");
        return fixture.signer();
    }

    @Override
    protected void release() {
        fixture.close();
    }
}
