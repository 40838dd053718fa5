package io.bakeguard.app.ops;

import io.bakeguard.core.crypto.Base58Check;
import io.bakeguard.core.crypto.Prefix;
import java.util.Arrays;
import java.util.HexFormat;

/** Valid base58 identifiers made from a seed byte, for file and command tests. */
final class TestIds {
    static final String MAINNET = "NetXdQprcVkpaWU";

    private TestIds() {}

    static String tz1(int seed) {
        return Base58Check.encode(Prefix.ED25519_PUBLIC_KEY_HASH, filled(20, seed));
    }

    static String tz4(int seed) {
        return Base58Check.encode(Prefix.BLS12_381_PUBLIC_KEY_HASH, filled(20, seed));
    }

    static String chain(int seed) {
        return Base58Check.encode(Prefix.CHAIN_ID, filled(4, seed));
    }

    static String hex32(int seed) {
        return HexFormat.of().formatHex(filled(32, seed));
    }

    /** Signatory's form of a request hash: base58 with the {@code vh} prefix. */
    static String vh(int seed) {
        return Base58Check.encode(Prefix.BLOCK_PAYLOAD_HASH, filled(32, seed));
    }

    private static byte[] filled(int n, int seed) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) seed);
        b[0] = (byte) (seed * 7 + 1);
        return b;
    }
}
