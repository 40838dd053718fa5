package io.bakeguard.core.key;

import io.bakeguard.core.crypto.Prefix;
import java.util.Optional;

/** The base58check prefixes of each curve (spec/tezos-remote-signer.md s.6). */
final class KeyPrefixes {
    private KeyPrefixes() {}

    static Prefix publicKeyHash(Curve c) {
        return switch (c) {
            case ED25519 -> Prefix.ED25519_PUBLIC_KEY_HASH;
            case SECP256K1 -> Prefix.SECP256K1_PUBLIC_KEY_HASH;
            case P256 -> Prefix.P256_PUBLIC_KEY_HASH;
            case BLS12_381 -> Prefix.BLS12_381_PUBLIC_KEY_HASH;
        };
    }

    static Prefix publicKey(Curve c) {
        return switch (c) {
            case ED25519 -> Prefix.ED25519_PUBLIC_KEY;
            case SECP256K1 -> Prefix.SECP256K1_PUBLIC_KEY;
            case P256 -> Prefix.P256_PUBLIC_KEY;
            case BLS12_381 -> Prefix.BLS12_381_PUBLIC_KEY;
        };
    }

    static Prefix secretKey(Curve c) {
        return switch (c) {
            case ED25519 -> Prefix.ED25519_SEED;
            case SECP256K1 -> Prefix.SECP256K1_SECRET_KEY;
            case P256 -> Prefix.P256_SECRET_KEY;
            case BLS12_381 -> Prefix.BLS12_381_SECRET_KEY;
        };
    }

    static Prefix encryptedSecretKey(Curve c) {
        return switch (c) {
            case ED25519 -> Prefix.ED25519_ENCRYPTED_SEED;
            case SECP256K1 -> Prefix.SECP256K1_ENCRYPTED_SECRET_KEY;
            case P256 -> Prefix.P256_ENCRYPTED_SECRET_KEY;
            case BLS12_381 -> Prefix.BLS12_381_ENCRYPTED_SECRET_KEY;
        };
    }

    static Prefix signature(Curve c) {
        return switch (c) {
            case ED25519 -> Prefix.ED25519_SIGNATURE;
            case SECP256K1 -> Prefix.SECP256K1_SIGNATURE;
            case P256 -> Prefix.P256_SIGNATURE;
            case BLS12_381 -> Prefix.BLS12_381_SIGNATURE;
        };
    }

    static Optional<Curve> curveOfPublicKeyHash(Prefix p) {
        for (Curve c : Curve.values()) {
            if (publicKeyHash(c) == p) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    static Optional<Curve> curveOfPublicKey(Prefix p) {
        for (Curve c : Curve.values()) {
            if (publicKey(c) == p) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
