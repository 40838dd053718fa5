package io.bakeguard.core.crypto;

import java.util.HexFormat;
import org.bouncycastle.crypto.digests.Blake2bDigest;

/** blake2b with the digest sizes Tezos uses: 160 bits for key hashes, 256 bits for everything else. */
public final class Blake2b {
    private Blake2b() {}

    public static byte[] hash160(byte[] data) {
        return digest(data, 160);
    }

    public static byte[] hash256(byte[] data) {
        return digest(data, 256);
    }

    /** Lowercase hex of blake2b-256: the watermark digest of a request. */
    public static String hash256Hex(byte[] data) {
        return HexFormat.of().formatHex(hash256(data));
    }

    private static byte[] digest(byte[] data, int bits) {
        Blake2bDigest d = new Blake2bDigest(bits);
        d.update(data, 0, data.length);
        byte[] out = new byte[bits / 8];
        d.doFinal(out, 0);
        return out;
    }
}
