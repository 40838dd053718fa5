package io.bakeguard.ledger.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.bakeguard.core.key.SecretKey;
import io.bakeguard.core.signer.SignatureVersion;
import io.bakeguard.core.signer.SoftwareSigner;
import io.bakeguard.ledger.app.LedgerCurve;
import io.bakeguard.ledger.sim.KeyDerivation;
import io.bakeguard.ledger.testing.SimulatedLedgerSigners;
import io.bakeguard.ledger.testing.SimulatedSetup;
import io.bakeguard.ledger.testing.TezosMessages;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same key on a (simulated) Ledger and in software gives the same key hash and byte-identical
 * signatures: Ed25519 and RFC 6979 ECDSA are deterministic and both sides normalise to low S. This is
 * what makes a retry answered by another replica's device harmless (spec s.8.2).
 */
class LedgerAndSoftwareSignersAgreeTest {

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "secp256k1", "P-256"})
    void sameSeedSameKeySameSignatures(String curveName) throws Exception {
        LedgerCurve curve = SimulatedSetup.curve(curveName);
        byte[] secret = KeyDerivation.derive(
                KeyDerivation.bip39Seed(KeyDerivation.ZEBRA_MNEMONIC, ""), curve, SimulatedSetup.account());
        SoftwareSigner software = new SoftwareSigner(SecretKey.ofRaw(curve.tezosCurve(), secret));
        try (SimulatedLedgerSigners ledger = SimulatedLedgerSigners.overHid(curveName)) {
            assertThat(ledger.signer().publicKeyHash()).isEqualTo(software.publicKeyHash());
            assertThat(ledger.signer().publicKey()).isEqualTo(software.publicKey());
            for (int level = 1; level <= 5; level++) {
                byte[] m = TezosMessages.attestation(TezosMessages.CHAIN_0, level, 0);
                assertThat(ledger.signer().sign(m, SignatureVersion.LATEST))
                        .isEqualTo(software.sign(m, SignatureVersion.LATEST));
            }
        }
    }
}
