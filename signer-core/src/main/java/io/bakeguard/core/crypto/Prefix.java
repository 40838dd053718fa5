package io.bakeguard.core.crypto;

import java.util.Optional;

/**
 * Every base58check prefix of spec/tezos-remote-signer.md s.6 (octez {@code base58.ml}): the prefix
 * bytes, the payload length and the text the encoding starts with.
 */
public enum Prefix {
    BLOCK_HASH("B", 32, 0x01, 0x34),
    OPERATION_HASH("o", 32, 0x05, 0x74),
    OPERATION_LIST_HASH("Lo", 32, 0x85, 0xe9),
    OPERATION_LIST_LIST_HASH("LLo", 32, 0x1d, 0x9f, 0x6d),
    PROTOCOL_HASH("P", 32, 0x02, 0xaa),
    CONTEXT_HASH("Co", 32, 0x4f, 0xc7),
    BLOCK_PAYLOAD_HASH("vh", 32, 0x01, 0x6a, 0xf2),
    NONCE_HASH("nce", 32, 0x45, 0xdc, 0xa9),
    SCRIPT_EXPR_HASH("expr", 32, 0x0d, 0x2c, 0x40, 0x1b),
    CHAIN_ID("Net", 4, 0x57, 0x52, 0x00),
    ED25519_PUBLIC_KEY_HASH("tz1", 20, 0x06, 0xa1, 0x9f),
    SECP256K1_PUBLIC_KEY_HASH("tz2", 20, 0x06, 0xa1, 0xa1),
    P256_PUBLIC_KEY_HASH("tz3", 20, 0x06, 0xa1, 0xa4),
    BLS12_381_PUBLIC_KEY_HASH("tz4", 20, 0x06, 0xa1, 0xa6),
    MLDSA44_PUBLIC_KEY_HASH("tz5", 20, 0x06, 0xa1, 0xa9),
    CONTRACT_HASH("KT1", 20, 0x02, 0x5a, 0x79),
    SMART_ROLLUP_ADDRESS("sr1", 20, 0x06, 0x7c, 0x75),
    ED25519_PUBLIC_KEY("edpk", 32, 0x0d, 0x0f, 0x25, 0xd9),
    SECP256K1_PUBLIC_KEY("sppk", 33, 0x03, 0xfe, 0xe2, 0x56),
    P256_PUBLIC_KEY("p2pk", 33, 0x03, 0xb2, 0x8b, 0x7f),
    BLS12_381_PUBLIC_KEY("BLpk", 48, 0x06, 0x95, 0x87, 0xcc),
    ED25519_SEED("edsk", 32, 0x0d, 0x0f, 0x3a, 0x07),
    ED25519_SECRET_KEY_64("edsk", 64, 0x2b, 0xf6, 0x4e, 0x07),
    SECP256K1_SECRET_KEY("spsk", 32, 0x11, 0xa2, 0xe0, 0xc9),
    P256_SECRET_KEY("p2sk", 32, 0x10, 0x51, 0xee, 0xbd),
    BLS12_381_SECRET_KEY("BLsk", 32, 0x03, 0x96, 0xc0, 0x28),
    ED25519_ENCRYPTED_SEED("edesk", 56, 0x07, 0x5a, 0x3c, 0xb3, 0x29),
    SECP256K1_ENCRYPTED_SECRET_KEY("spesk", 56, 0x09, 0xed, 0xf1, 0xae, 0x96),
    P256_ENCRYPTED_SECRET_KEY("p2esk", 56, 0x09, 0x30, 0x39, 0x73, 0xab),
    BLS12_381_ENCRYPTED_SECRET_KEY("BLesk", 56, 0x02, 0x05, 0x1e, 0x35, 0x19),
    ED25519_SIGNATURE("edsig", 64, 0x09, 0xf5, 0xcd, 0x86, 0x12),
    SECP256K1_SIGNATURE("spsig1", 64, 0x0d, 0x73, 0x65, 0x13, 0x3f),
    P256_SIGNATURE("p2sig", 64, 0x36, 0xf0, 0x2c, 0x34),
    GENERIC_SIGNATURE("sig", 64, 0x04, 0x82, 0x2b),
    BLS12_381_SIGNATURE("BLsig", 96, 0x28, 0xab, 0x40, 0xcf),
    GENERIC_AGGREGATE_SIGNATURE("asig", 96, 0x02, 0x4b, 0xea, 0x65);

    private final String text;
    private final int payloadLength;
    private final byte[] bytes;

    Prefix(String text, int payloadLength, int... bytes) {
        this.text = text;
        this.payloadLength = payloadLength;
        this.bytes = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            this.bytes[i] = (byte) bytes[i];
        }
    }

    /** What the encoded text starts with ({@code tz1}, {@code edsig}, ...). */
    public String text() {
        return text;
    }

    public int payloadLength() {
        return payloadLength;
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    int prefixLength() {
        return bytes.length;
    }

    boolean matches(byte[] decoded) {
        if (decoded.length != bytes.length + payloadLength) {
            return false;
        }
        for (int i = 0; i < bytes.length; i++) {
            if (decoded[i] != bytes[i]) {
                return false;
            }
        }
        return true;
    }

    /** The prefix whose bytes and payload length match a decoded base58check body. */
    public static Optional<Prefix> detect(byte[] decoded) {
        for (Prefix p : values()) {
            if (p.matches(decoded)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
