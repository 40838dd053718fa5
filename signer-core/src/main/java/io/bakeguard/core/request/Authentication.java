package io.bakeguard.core.request;

import io.bakeguard.core.key.KeyFormatException;
import io.bakeguard.core.key.KeyHashes;

/**
 * The bytes an authorized client signs to authenticate a sign request (spec/tezos-remote-signer.md
 * s.1.5, octez {@code signer_messages.ml}): {@code 0x04 || 0x01 || pkh21 || data}, where pkh21 is
 * the curve tag and 20-byte hash of the key named in the URL and data the exact request bytes.
 */
public final class Authentication {
    /** The "authenticated signing request" magic byte. */
    public static final int MAGIC = 0x04;
    /** The message tag of a Sign request (the socket protocol's nonce requests use 2 and 3). */
    public static final int SIGN_TAG = 0x01;

    private Authentication() {}

    /**
     * Builds {@code 0x04 || 0x01 || pkh21 || data}.
     *
     * @param pkh base58 public key hash of the signing key, as in the request URL
     * @param data the request bytes as posted (magic byte included)
     * @throws InvalidKeyHashException when {@code pkh} is not a valid tz1..tz4 key hash
     */
    public static byte[] bytesToSign(String pkh, byte[] data) throws InvalidKeyHashException {
        byte[] pkh21 = taggedKeyHash(pkh);
        byte[] out = new byte[2 + pkh21.length + data.length];
        out[0] = (byte) MAGIC;
        out[1] = (byte) SIGN_TAG;
        System.arraycopy(pkh21, 0, out, 2, pkh21.length);
        System.arraycopy(data, 0, out, 2 + pkh21.length, data.length);
        return out;
    }

    /** The 21-byte binary form of a key hash: curve tag then the 20-byte blake2b-160 hash. */
    public static byte[] taggedKeyHash(String pkh) throws InvalidKeyHashException {
        try {
            return KeyHashes.toTagged21(pkh);
        } catch (KeyFormatException e) {
            throw new InvalidKeyHashException(e.getMessage());
        }
    }
}
