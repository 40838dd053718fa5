package io.bakeguard.app.ops;

import io.bakeguard.core.crypto.Base58Check;
import io.bakeguard.core.crypto.Base58Exception;
import io.bakeguard.core.crypto.Prefix;
import java.util.List;
import java.util.Locale;

/** Checks of the base58 identifiers operators type: key hashes and chain ids. */
public final class TezosIds {
    /** The chain id of Tezos mainnet, which {@code --chain mainnet} stands for. */
    public static final String MAINNET = "NetXdQprcVkpaWU";

    private static final List<Prefix> KEY_HASHES = List.of(
            Prefix.ED25519_PUBLIC_KEY_HASH,
            Prefix.SECP256K1_PUBLIC_KEY_HASH,
            Prefix.P256_PUBLIC_KEY_HASH,
            Prefix.BLS12_381_PUBLIC_KEY_HASH);

    private TezosIds() {}

    /** True when {@code text} is a tz1, tz2, tz3 or tz4 key hash with a valid checksum. */
    public static boolean isKeyHash(String text) {
        try {
            return KEY_HASHES.contains(Base58Check.decodeAny(text).prefix());
        } catch (Base58Exception e) {
            return false;
        }
    }

    /** True when {@code text} is a base58 chain id ({@code Net...}) with a valid checksum. */
    public static boolean isChainId(String text) {
        try {
            Base58Check.decode(text, Prefix.CHAIN_ID);
            return true;
        } catch (Base58Exception e) {
            return false;
        }
    }

    /** The chain id for a {@code --chain} argument: a base58 chain id or {@code mainnet}. */
    public static String chainArgument(String text) {
        if (text.toLowerCase(Locale.ROOT).equals("mainnet")) {
            return MAINNET;
        }
        if (!isChainId(text)) {
            throw OpsException.usage("--chain '" + text + "' is not a chain id: pass a base58 id like " + MAINNET
                    + " or the word mainnet");
        }
        return text;
    }

    /** Checks a {@code --key} argument. */
    public static String keyArgument(String text) {
        if (!isKeyHash(text)) {
            throw OpsException.usage(
                    "--key '" + text + "' is not a public key hash: pass a tz1, tz2, tz3 or tz4 address");
        }
        return text;
    }
}
