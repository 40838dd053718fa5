package io.bakeguard.ledger.app;

import io.bakeguard.core.crypto.Base58Check;
import io.bakeguard.core.crypto.Blake2b;
import io.bakeguard.core.crypto.Prefix;
import io.bakeguard.core.key.Curve;

/**
 * A public key read from the device, converted to its Tezos encoding (spec/ledger-baking-apdu.md
 * s.3.6): Ed25519 = the 32 key bytes; secp256k1 / P-256 = the compressed 33-byte point.
 *
 * @param curve the device curve
 * @param tezosBytes the key bytes Tezos hashes and base58-encodes (without the tag byte)
 */
public record DeviceKey(LedgerCurve curve, byte[] tezosBytes) {
    public DeviceKey {
        tezosBytes = tezosBytes.clone();
    }

    /**
     * Converts the data of a GET_PUBLIC_KEY / PROMPT_PUBLIC_KEY / SETUP / AUTHORIZE_BAKING reply (the
     * length byte, then the key).
     */
    public static DeviceKey fromReply(LedgerCurve curve, byte[] reply) throws LedgerException.DeviceFailure {
        if (reply.length < 1 || (reply[0] & 0xff) != reply.length - 1) {
            throw new LedgerException.DeviceFailure("public key reply with an inconsistent length byte", -1);
        }
        switch (curve) {
            case ED25519, BIP32_ED25519 -> {
                if (reply.length != 34 || reply[1] != 0x02) {
                    throw new LedgerException.DeviceFailure(
                            "Ed25519 key reply must be 21 02 + 32 bytes, got " + reply.length + " bytes", -1);
                }
                return new DeviceKey(curve, java.util.Arrays.copyOfRange(reply, 2, 34));
            }
            case SECP256K1, SECP256R1 -> {
                if (reply.length != 66 || reply[1] != 0x04) {
                    throw new LedgerException.DeviceFailure(
                            "ECDSA key reply must be 41 04 + X + Y, got " + reply.length + " bytes", -1);
                }
                byte[] out = new byte[33];
                out[0] = (byte) (0x02 | (reply[65] & 1));
                System.arraycopy(reply, 2, out, 1, 32);
                return new DeviceKey(curve, out);
            }
            default -> throw new LedgerException.DeviceFailure("Ledger " + curve + " keys are not supported", -1);
        }
    }

    @Override
    public byte[] tezosBytes() {
        return tezosBytes.clone();
    }

    public Curve tezosCurve() {
        return curve.tezosCurve();
    }

    /** {@code edpk...}, {@code sppk...}, {@code p2pk...}. */
    public String publicKey() {
        return Base58Check.encode(publicKeyPrefix(tezosCurve()), tezosBytes);
    }

    /** The 20-byte blake2b-160 hash of the key. */
    public byte[] hash() {
        return Blake2b.hash160(tezosBytes);
    }

    /** {@code tz1...}, {@code tz2...}, {@code tz3...}. */
    public String publicKeyHash() {
        return Base58Check.encode(hashPrefix(tezosCurve()), hash());
    }

    static Prefix publicKeyPrefix(Curve c) {
        return switch (c) {
            case ED25519 -> Prefix.ED25519_PUBLIC_KEY;
            case SECP256K1 -> Prefix.SECP256K1_PUBLIC_KEY;
            case P256 -> Prefix.P256_PUBLIC_KEY;
            case BLS12_381 -> Prefix.BLS12_381_PUBLIC_KEY;
        };
    }

    static Prefix hashPrefix(Curve c) {
        return switch (c) {
            case ED25519 -> Prefix.ED25519_PUBLIC_KEY_HASH;
            case SECP256K1 -> Prefix.SECP256K1_PUBLIC_KEY_HASH;
            case P256 -> Prefix.P256_PUBLIC_KEY_HASH;
            case BLS12_381 -> Prefix.BLS12_381_PUBLIC_KEY_HASH;
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceKey k && k.curve == curve && java.util.Arrays.equals(k.tezosBytes, tezosBytes);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(tezosBytes);
    }

    @Override
    public String toString() {
        return publicKeyHash();
    }
}
