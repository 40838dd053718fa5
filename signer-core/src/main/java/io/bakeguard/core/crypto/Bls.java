package io.bakeguard.core.crypto;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import supranational.blst.BLST_ERROR;
import supranational.blst.P1;
import supranational.blst.P1_Affine;
import supranational.blst.P2;
import supranational.blst.P2_Affine;
import supranational.blst.SecretKey;

/**
 * BLS12-381 MinPk as Tezos uses it for tz4 (spec/tezos-remote-signer.md s.5.1, spec/ratis.md s.4): 48-byte
 * compressed G1 public keys, 96-byte compressed G2 signatures, secret scalars stored little-endian.
 * Backed by supranational blst (jblst).
 */
public final class Bls {
    /** Signature V2/V3 (and absent version): proof-of-possession scheme, message = data. */
    public static final String DST_POP_SCHEME = "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";
    /** Signature V1: augmented scheme, message = pk48 || data. */
    public static final String DST_AUG_SCHEME = "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_AUG_";
    /** Proof of possession: a signature over the 48-byte compressed public key. */
    public static final String DST_PROOF_OF_POSSESSION = "BLS_POP_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";

    public static final int SECRET_BYTES = 32;
    public static final int PUBLIC_KEY_BYTES = 48;
    public static final int SIGNATURE_BYTES = 96;

    private static final BigInteger ORDER =
            new BigInteger("73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001", 16);
    private static final byte[] NO_AUG = new byte[0];

    private Bls() {}

    /** True when {@code secretLe} is a 32-byte little-endian scalar in [1, r-1]. */
    public static boolean isValidSecret(byte[] secretLe) {
        if (secretLe == null || secretLe.length != SECRET_BYTES) {
            return false;
        }
        BigInteger k = new BigInteger(1, reverse(secretLe));
        return k.signum() > 0 && k.compareTo(ORDER) < 0;
    }

    /** A fresh secret (IETF KeyGen over 32 random bytes), little-endian. */
    public static byte[] randomSecret(SecureRandom rnd) {
        byte[] ikm = new byte[32];
        byte[] out;
        do {
            rnd.nextBytes(ikm);
            out = secretFromSeed(ikm);
        } while (!isValidSecret(out));
        Arrays.fill(ikm, (byte) 0);
        return out;
    }

    /**
     * The secret that IETF KeyGen derives from {@code ikm} (at least 32 bytes), little-endian: what
     * octez {@code Bls.generate_key ~seed} yields (checked against octez key_encoding_vectors).
     */
    public static byte[] secretFromSeed(byte[] ikm) {
        if (ikm.length < 32) {
            throw new IllegalArgumentException("BLS key generation needs at least 32 bytes of seed");
        }
        SecretKey sk = new SecretKey();
        sk.keygen(ikm);
        return sk.to_lendian();
    }

    /** True when {@code pk} is a compressed G1 point in the prime-order subgroup and not infinity. */
    public static boolean isValidPublicKey(byte[] pk) {
        return decodePublicKey(pk) != null;
    }

    /**
     * Verifies a 96-byte signature by {@code pk} over {@code aug || msg} with {@code dst}; false for
     * any malformed key or signature (including points outside the subgroup).
     */
    public static boolean verify(byte[] pk, byte[] msg, byte[] sig, String dst, byte[] aug) {
        if (msg == null || sig == null || sig.length != SIGNATURE_BYTES) {
            return false;
        }
        P1_Affine key = decodePublicKey(pk);
        if (key == null) {
            return false;
        }
        try {
            P2_Affine s = new P2_Affine(sig);
            if (s.is_inf() || !s.in_group()) {
                return false;
            }
            return s.core_verify(key, true, msg, dst, aug) == BLST_ERROR.BLST_SUCCESS;
        } catch (RuntimeException e) {
            // blst reports a bad point encoding by throwing
            return false;
        }
    }

    /** Verifies a signature with no augmentation. */
    public static boolean verify(byte[] pk, byte[] msg, byte[] sig, String dst) {
        return verify(pk, msg, sig, dst, NO_AUG);
    }

    private static P1_Affine decodePublicKey(byte[] pk) {
        if (pk == null || pk.length != PUBLIC_KEY_BYTES) {
            return null;
        }
        try {
            P1_Affine p = new P1_Affine(pk);
            return p.is_inf() || !p.in_group() ? null : p;
        } catch (RuntimeException e) {
            return null;
        }
    }

    static byte[] reverse(byte[] b) {
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = b[b.length - 1 - i];
        }
        return r;
    }

    /** A prepared secret key; immutable and safe to use from several threads. */
    public static final class PrivateKey {
        private final SecretKey sk;
        private final byte[] publicKey;

        /** @param secretLe the 32-byte little-endian scalar, as stored in {@code BLsk} */
        public PrivateKey(byte[] secretLe) {
            if (!isValidSecret(secretLe)) {
                throw new IllegalArgumentException("not a valid BLS12-381 secret scalar");
            }
            this.sk = new SecretKey();
            sk.from_lendian(secretLe);
            this.publicKey = new P1(sk).compress();
        }

        /** The 48-byte compressed public key. */
        public byte[] publicKey() {
            return publicKey.clone();
        }

        /** Signs {@code aug || msg} with {@code dst}; 96-byte compressed signature. */
        public byte[] sign(byte[] msg, String dst, byte[] aug) {
            return new P2().hash_to(msg, dst, aug).sign_with(sk).compress();
        }

        /** Proof-of-possession-scheme signature (Signature V2/V3). */
        public byte[] signPop(byte[] data) {
            return sign(data, DST_POP_SCHEME, NO_AUG);
        }

        /** Augmented-scheme signature (Signature V1): message = own pk48 || data. */
        public byte[] signAug(byte[] data) {
            return sign(data, DST_AUG_SCHEME, publicKey);
        }

        /** A proof of possession over {@code pk48} (the own key, or an override key). */
        public byte[] provePossession(byte[] pk48) {
            if (pk48.length != PUBLIC_KEY_BYTES) {
                throw new IllegalArgumentException("BLS public key must be 48 bytes, got " + pk48.length);
            }
            return sign(pk48, DST_PROOF_OF_POSSESSION, NO_AUG);
        }

        @Override
        public String toString() {
            return "Bls.PrivateKey[secret hidden]";
        }
    }
}
