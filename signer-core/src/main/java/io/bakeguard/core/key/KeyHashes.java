package io.bakeguard.core.key;

import io.bakeguard.core.crypto.Base58Check;
import io.bakeguard.core.crypto.Base58Exception;
import io.bakeguard.core.crypto.Prefix;
import java.util.Arrays;

/**
 * Public key hashes ({@code tz1}..{@code tz4}) and their 21-byte binary form {@code
 * Signature.Public_key_hash.to_bytes}: one curve tag byte then the 20-byte blake2b-160 (spec s.1.5).
 */
public final class KeyHashes {
    public static final int TAGGED_LENGTH = 21;

    private KeyHashes() {}

    /** {@code tz1...} to {@code tag || hash20}. */
    public static byte[] toTagged21(String pkh) throws KeyFormatException {
        Decoded d = decode(pkh);
        byte[] out = new byte[TAGGED_LENGTH];
        out[0] = (byte) d.curve.tag();
        System.arraycopy(d.hash, 0, out, 1, 20);
        return out;
    }

    /**
     * {@code tag || hash20} to {@code tz1...}.
     *
     * @throws IllegalArgumentException when the array is not 21 bytes or the tag is not 0..3
     */
    public static String fromTagged21(byte[] tagged) {
        if (tagged == null || tagged.length != TAGGED_LENGTH) {
            throw new IllegalArgumentException("a tagged public key hash is 21 bytes, got "
                    + (tagged == null ? "null" : String.valueOf(tagged.length)));
        }
        Curve c = Curve.ofTag(tagged[0] & 0xff)
                .orElseThrow(() -> new IllegalArgumentException(
                        "unknown public key hash tag " + (tagged[0] & 0xff) + " (expected 0..3)"));
        return Base58Check.encode(KeyPrefixes.publicKeyHash(c), Arrays.copyOfRange(tagged, 1, TAGGED_LENGTH));
    }

    /** The curve of a {@code tz1}..{@code tz4} hash. */
    public static Curve curveOf(String pkh) throws KeyFormatException {
        return decode(pkh).curve;
    }

    /** True for a well-formed {@code tz1}..{@code tz4} hash with a correct checksum. */
    public static boolean isValid(String pkh) {
        try {
            decode(pkh);
            return true;
        } catch (KeyFormatException e) {
            return false;
        }
    }

    /** The {@code tz...} hash of a raw public key: blake2b-160 of the key bytes without tag. */
    static String hashOf(Curve curve, byte[] rawPublicKey) {
        return Base58Check.encode(
                KeyPrefixes.publicKeyHash(curve), io.bakeguard.core.crypto.Blake2b.hash160(rawPublicKey));
    }

    private record Decoded(Curve curve, byte[] hash) {}

    private static Decoded decode(String pkh) throws KeyFormatException {
        if (pkh == null) {
            throw new KeyFormatException("public key hash is missing");
        }
        Base58Check.Decoded d;
        try {
            d = Base58Check.decodeAny(pkh);
        } catch (Base58Exception e) {
            throw new KeyFormatException("not a public key hash: " + e.getMessage(), e);
        }
        if (d.prefix() == Prefix.MLDSA44_PUBLIC_KEY_HASH) {
            throw new KeyFormatException("tz5 (ML-DSA-44) public key hashes are not supported");
        }
        Curve c = KeyPrefixes.curveOfPublicKeyHash(d.prefix())
                .orElseThrow(() -> new KeyFormatException("expected a tz1, tz2, tz3 or tz4 public key hash, got a "
                        + d.prefix().text() + " value"));
        return new Decoded(c, d.payload());
    }
}
