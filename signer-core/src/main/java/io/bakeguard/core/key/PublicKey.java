package io.bakeguard.core.key;

import io.bakeguard.core.crypto.Base58Check;
import io.bakeguard.core.crypto.Base58Exception;
import io.bakeguard.core.crypto.Blake2b;
import io.bakeguard.core.crypto.Bls;
import io.bakeguard.core.crypto.Ecdsa;
import io.bakeguard.core.crypto.Prefix;
import io.bakeguard.core.signer.SignatureVersion;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * A Tezos public key ({@code edpk}, {@code sppk}, {@code p2pk}, {@code BLpk}): its curve and raw bytes
 * (32 bytes Ed25519, 33 compressed SEC1, 48 compressed G1). Always a valid point. Immutable.
 */
public final class PublicKey {
    private final Curve curve;
    private final byte[] raw;

    private PublicKey(Curve curve, byte[] raw) {
        this.curve = curve;
        this.raw = raw;
    }

    /** Parses a base58 public key. */
    public static PublicKey parse(String b58) throws KeyFormatException {
        if (b58 == null) {
            throw new KeyFormatException("public key is missing");
        }
        Base58Check.Decoded d;
        try {
            d = Base58Check.decodeAny(b58.strip());
        } catch (Base58Exception e) {
            throw new KeyFormatException("not a public key: " + e.getMessage(), e);
        }
        Curve c = KeyPrefixes.curveOfPublicKey(d.prefix())
                .orElseThrow(() -> new KeyFormatException("expected an edpk, sppk, p2pk or BLpk public key, got a "
                        + d.prefix().text() + " value"));
        return of(c, d.payload());
    }

    /**
     * Builds a key from {@code tag || raw} (the binary {@code Signature.Public_key} encoding: tag 0
     * Ed25519, 1 secp256k1, 2 P-256, 3 BLS).
     *
     * @throws IllegalArgumentException when the tag, the length or the point is invalid
     */
    public static PublicKey fromTagged(byte[] tagged) {
        if (tagged == null || tagged.length < 1) {
            throw new IllegalArgumentException("tagged public key is empty");
        }
        Curve c = Curve.ofTag(tagged[0] & 0xff)
                .orElseThrow(() -> new IllegalArgumentException(
                        "unknown public key tag " + (tagged[0] & 0xff) + " (expected 0..3)"));
        try {
            return of(c, Arrays.copyOfRange(tagged, 1, tagged.length));
        } catch (KeyFormatException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Builds a key from its curve and raw bytes, checking the length and that it is a valid point. */
    public static PublicKey of(Curve curve, byte[] raw) throws KeyFormatException {
        Objects.requireNonNull(curve, "curve");
        if (raw == null) {
            throw new KeyFormatException("public key bytes are missing");
        }
        int expected = KeyPrefixes.publicKey(curve).payloadLength();
        if (raw.length != expected) {
            throw new KeyFormatException(
                    curve.cliName() + " public key must be " + expected + " bytes, got " + raw.length);
        }
        boolean valid = switch (curve) {
            case ED25519 -> isValidEd25519(raw);
            case SECP256K1 -> Ecdsa.SECP256K1.isValidPublicKey(raw);
            case P256 -> Ecdsa.P256.isValidPublicKey(raw);
            case BLS12_381 -> Bls.isValidPublicKey(raw);
        };
        if (!valid) {
            throw new KeyFormatException("not a valid " + curve.cliName() + " public key point");
        }
        return new PublicKey(curve, raw.clone());
    }

    private static boolean isValidEd25519(byte[] raw) {
        try {
            new Ed25519PublicKeyParameters(raw, 0);
            return org.bouncycastle.math.ec.rfc8032.Ed25519.validatePublicKeyPartial(raw, 0);
        } catch (RuntimeException e) {
            return false;
        }
    }

    public Curve curve() {
        return curve;
    }

    /** The raw key bytes without the curve tag (a copy). */
    public byte[] raw() {
        return raw.clone();
    }

    /** {@code tag || raw}. */
    public byte[] tagged() {
        byte[] out = new byte[raw.length + 1];
        out[0] = (byte) curve.tag();
        System.arraycopy(raw, 0, out, 1, raw.length);
        return out;
    }

    public String toBase58() {
        return Base58Check.encode(KeyPrefixes.publicKey(curve), raw);
    }

    /** The public key hash {@code tz1}..{@code tz4}: blake2b-160 of the raw key. */
    public String hash() {
        return KeyHashes.hashOf(curve, raw);
    }

    /**
     * Checks a base58 signature over {@code data} as octez does (spec s.5): Ed25519/ECDSA over
     * blake2b-256(data), BLS over the raw data (proof-of-possession scheme for V2, V3 and absent,
     * augmented scheme with {@code pk48 || data} for V1, never for V0). The generic {@code sig...} form
     * is accepted for 64-byte curves. Returns false for any malformed input; never throws.
     */
    public boolean verify(byte[] data, String b58Signature, SignatureVersion version) {
        if (data == null || b58Signature == null) {
            return false;
        }
        Base58Check.Decoded d;
        try {
            d = Base58Check.decodeAny(b58Signature.strip());
        } catch (Base58Exception e) {
            return false;
        }
        if (d.prefix() != KeyPrefixes.signature(curve)
                && !(d.prefix() == Prefix.GENERIC_SIGNATURE && curve != Curve.BLS12_381)) {
            return false;
        }
        byte[] sig = d.payload();
        return switch (curve) {
            case ED25519 -> verifyEd25519(Blake2b.hash256(data), sig);
            case SECP256K1 -> Ecdsa.SECP256K1.verify(raw, Blake2b.hash256(data), sig);
            case P256 -> Ecdsa.P256.verify(raw, Blake2b.hash256(data), sig);
            case BLS12_381 -> verifyBls(data, sig, version == null ? SignatureVersion.LATEST : version);
        };
    }

    private boolean verifyEd25519(byte[] digest, byte[] sig) {
        if (sig.length != 64) {
            return false;
        }
        try {
            Ed25519Signer v = new Ed25519Signer();
            v.init(false, new Ed25519PublicKeyParameters(raw, 0));
            v.update(digest, 0, digest.length);
            return v.verifySignature(sig);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private boolean verifyBls(byte[] data, byte[] sig, SignatureVersion version) {
        return switch (version) {
            case V0 -> false;
            case V1 -> Bls.verify(raw, data, sig, Bls.DST_AUG_SCHEME, raw);
            case V2, V3 -> Bls.verify(raw, data, sig, Bls.DST_POP_SCHEME);
        };
    }

    /** For a BLS key: checks a base58 {@code BLsig} proof of possession over this key. False otherwise. */
    public boolean verifyProofOfPossession(String b58Sig) {
        return verifyProofOfPossession(b58Sig, this);
    }

    /**
     * For a BLS key: checks a proof made by this key over {@code provenKey}'s bytes (the {@code bls_pk}
     * override of {@code GET /bls_prove_possession}). False for non-BLS keys or malformed input.
     */
    public boolean verifyProofOfPossession(String b58Sig, PublicKey provenKey) {
        if (curve != Curve.BLS12_381 || b58Sig == null || provenKey == null || provenKey.curve != Curve.BLS12_381) {
            return false;
        }
        try {
            byte[] sig = Base58Check.decode(b58Sig.strip(), Prefix.BLS12_381_SIGNATURE);
            return Bls.verify(raw, provenKey.raw, sig, Bls.DST_PROOF_OF_POSSESSION);
        } catch (Base58Exception e) {
            return false;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PublicKey other && curve == other.curve && Arrays.equals(raw, other.raw);
    }

    @Override
    public int hashCode() {
        return 31 * curve.hashCode() + Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return toBase58();
    }
}
