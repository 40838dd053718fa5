package io.bakeguard.ledger.contract;

import io.bakeguard.core.key.Curve;
import io.bakeguard.core.key.SecretKey;
import io.bakeguard.core.signer.Signer;
import io.bakeguard.core.signer.SoftwareSigner;
import java.security.SecureRandom;

/** The signer contract against signer-core's software signer (P256): the reference behaviour. */
class SoftwareP256SignerContractTest extends SignerContractTest {
    @Override
    protected Signer createSigner() {
        return new SoftwareSigner(SecretKey.generate(Curve.P256, new SecureRandom()));
    }
}
