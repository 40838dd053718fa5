package io.bakeguard.ledger.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.bakeguard.core.crypto.Base58Check;
import io.bakeguard.core.crypto.Blake2b;
import io.bakeguard.core.crypto.Prefix;
import io.bakeguard.core.key.Curve;
import io.bakeguard.core.key.PublicKey;
import io.bakeguard.core.signer.SignatureVersion;
import io.bakeguard.core.signer.Signer;
import io.bakeguard.ledger.testing.TezosMessages;
import io.bakeguard.ledger.testing.TezosSignatures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Signer} must do, whatever holds the key (conventions.md: one suite bound to
 * several backends). Subclasses give a fresh signer per test; the messages are consensus operations
 * at increasing levels on chain {@code 00000000}, so a device with its own high watermark (set up at
 * level 0 with no main chain) accepts every one of them.
 */
public abstract class SignerContractTest {
    private Signer signer;
    private int level;

    /** A fresh signer for one test. */
    protected abstract Signer createSigner() throws Exception;

    /** Releases whatever {@link #createSigner} started (devices, servers); the signer is closed already. */
    protected void release() throws Exception {}

    @BeforeEach
    void createTheSigner() throws Exception {
        signer = createSigner();
        level = 1;
    }

    @AfterEach
    void closeTheSigner() throws Exception {
        signer.close();
        release();
    }

    /** An attestation at the next level: never refused by a watermark. */
    protected byte[] nextMessage() {
        return TezosMessages.attestation(TezosMessages.CHAIN_0, level++, 0);
    }

    @Test
    void publicKeyHashIsTheBlake2bHashOfThePublicKey() throws Exception {
        Base58Check.Decoded pk = Base58Check.decodeAny(signer.publicKey());
        Prefix hashPrefix = switch (pk.prefix()) {
            case ED25519_PUBLIC_KEY -> Prefix.ED25519_PUBLIC_KEY_HASH;
            case SECP256K1_PUBLIC_KEY -> Prefix.SECP256K1_PUBLIC_KEY_HASH;
            case P256_PUBLIC_KEY -> Prefix.P256_PUBLIC_KEY_HASH;
            case BLS12_381_PUBLIC_KEY -> Prefix.BLS12_381_PUBLIC_KEY_HASH;
            default -> throw new AssertionError("not a public key: " + signer.publicKey());
        };
        assertThat(signer.publicKeyHash()).isEqualTo(Base58Check.encode(hashPrefix, Blake2b.hash160(pk.payload())));
    }

    @Test
    void curveAgreesWithTheKeyPrefix() {
        assertThat(signer.publicKeyHash()).startsWith(signer.curve().hashPrefix());
    }

    @Test
    void signaturesVerifyWithThePublicKey() throws Exception {
        for (int i = 0; i < 3; i++) {
            byte[] m = nextMessage();
            String sig = signer.sign(m, SignatureVersion.LATEST);
            assertThat(verifies(m, sig)).isTrue();
        }
    }

    @Test
    void signatureCarriesTheCurvesPrefix() throws Exception {
        String sig = signer.sign(nextMessage(), SignatureVersion.LATEST);
        String expected = switch (signer.curve()) {
            case ED25519 -> "edsig";
            case SECP256K1 -> "spsig1";
            case P256 -> "p2sig";
            case BLS12_381 -> "BLsig";
        };
        assertThat(sig).startsWith(expected);
    }

    @Test
    void signatureDoesNotVerifyForOtherBytes() throws Exception {
        byte[] m = nextMessage();
        String sig = signer.sign(m, SignatureVersion.LATEST);
        byte[] other = m.clone();
        other[other.length - 1] ^= 1;
        assertThat(verifies(other, sig)).isFalse();
    }

    /** Verified by signer-core's PublicKey (octez's rules), independently of the signer under test. */
    protected boolean verifies(byte[] message, String signature) throws Exception {
        return PublicKey.parse(signer.publicKey()).verify(message, signature, SignatureVersion.LATEST);
    }

    @Test
    void equalBytesGiveEqualSignatures() throws Exception {
        // Every curve we sign with is deterministic (Ed25519, RFC 6979 ECDSA): design.md s.1.
        byte[] m = nextMessage();
        String first = signer.sign(m, SignatureVersion.LATEST);
        assertThat(signer.sign(m.clone(), SignatureVersion.LATEST)).isEqualTo(first);
    }

    @Test
    void differentBytesGiveDifferentSignatures() throws Exception {
        assertThat(signer.sign(nextMessage(), SignatureVersion.LATEST))
                .isNotEqualTo(signer.sign(nextMessage(), SignatureVersion.LATEST));
    }

    @Test
    void ecdsaSignaturesAreLowS() throws Exception {
        if (signer.curve() != Curve.SECP256K1 && signer.curve() != Curve.P256) {
            return; // nothing to check for Ed25519: the test is about ECDSA's S half
        }
        for (int i = 0; i < 6; i++) {
            byte[] m = nextMessage();
            assertThat(TezosSignatures.lowS(signer.publicKey(), signer.sign(m, SignatureVersion.LATEST)))
                    .isTrue();
        }
    }

    @Test
    void signatureVersionDoesNotChangeNonBlsSignatures() throws Exception {
        if (signer.curve() == Curve.BLS12_381) {
            return; // BLS signs differently per version (SignatureVersion javadoc)
        }
        byte[] m = nextMessage();
        String v3 = signer.sign(m, SignatureVersion.V3);
        assertThat(signer.sign(m, SignatureVersion.V0)).isEqualTo(v3);
        assertThat(signer.sign(m, SignatureVersion.V1)).isEqualTo(v3);
    }

    @Test
    void nonBlsSignersHaveNoProofOfPossession() throws Exception {
        if (signer.curve() != Curve.BLS12_381) {
            assertThat(signer.provePossession(java.util.Optional.empty())).isEmpty();
        }
    }

    protected Signer signer() {
        return signer;
    }
}
