package io.bakeguard.core.crypto;

import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * ECDSA as Tezos uses it for tz2 (secp256k1) and tz3 (P-256), spec/tezos-remote-signer.md s.5: the
 * 32-byte message hash is used as is, the nonce is RFC 6979 (HMAC-SHA256), the signature is {@code
 * r(32) || s(32)} big-endian and always low-S. Public keys are 33-byte compressed SEC1 points. All
 * methods are stateless and thread-safe.
 */
public final class Ecdsa {
    public static final Ecdsa SECP256K1 = new Ecdsa("secp256k1", true);
    public static final Ecdsa P256 = new Ecdsa("secp256r1", false);

    private final String name;
    private final ECDomainParameters domain;
    private final BigInteger halfN;
    private final boolean rejectHighS;

    private Ecdsa(String name, boolean rejectHighS) {
        X9ECParameters p = CustomNamedCurves.getByName(name);
        this.name = name;
        this.domain = new ECDomainParameters(p.getCurve(), p.getG(), p.getN(), p.getH());
        this.halfN = p.getN().shiftRight(1);
        // libsecp256k1 (octez tz2) refuses high-S signatures; for P-256 octez's behaviour is unconfirmed
        // (spec s.5), so high-S P-256 signatures are accepted on verification but never produced.
        this.rejectHighS = rejectHighS;
    }

    /** True when {@code secret} is a 32-byte big-endian scalar in [1, n-1]. */
    public boolean isValidSecret(byte[] secret) {
        if (secret.length != 32) {
            return false;
        }
        BigInteger d = new BigInteger(1, secret);
        return d.signum() > 0 && d.compareTo(domain.getN()) < 0;
    }

    /** A uniformly random valid secret scalar, 32 bytes big-endian. */
    public byte[] randomSecret(java.security.SecureRandom rnd) {
        byte[] out = new byte[32];
        do {
            rnd.nextBytes(out);
        } while (!isValidSecret(out));
        return out;
    }

    /** The 33-byte compressed public key of a valid secret scalar. */
    public byte[] publicKey(byte[] secret) {
        requireSecret(secret);
        ECPoint q = new FixedPointCombMultiplier().multiply(domain.getG(), new BigInteger(1, secret));
        return q.normalize().getEncoded(true);
    }

    /** True when {@code pk} is a 33-byte compressed point on the curve (not infinity). */
    public boolean isValidPublicKey(byte[] pk) {
        return decodePoint(pk) != null;
    }

    /** Signs a 32-byte hash with RFC 6979 nonces; returns {@code r || s} with low S. */
    public byte[] sign(byte[] secret, byte[] hash32) {
        requireSecret(secret);
        if (hash32.length != 32) {
            throw new IllegalArgumentException("ECDSA message hash must be 32 bytes, got " + hash32.length);
        }
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, new ECPrivateKeyParameters(new BigInteger(1, secret), domain));
        BigInteger[] rs = signer.generateSignature(hash32);
        BigInteger s = rs[1].compareTo(halfN) > 0 ? domain.getN().subtract(rs[1]) : rs[1];
        byte[] out = new byte[64];
        put32(rs[0], out, 0);
        put32(s, out, 32);
        return out;
    }

    /** Verifies {@code r || s} over a 32-byte hash; false for any malformed input. */
    public boolean verify(byte[] pk, byte[] hash32, byte[] sig) {
        if (sig == null || sig.length != 64 || hash32 == null || hash32.length != 32) {
            return false;
        }
        ECPoint q = decodePoint(pk);
        if (q == null) {
            return false;
        }
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(sig, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
        BigInteger n = domain.getN();
        if (r.signum() == 0 || s.signum() == 0 || r.compareTo(n) >= 0 || s.compareTo(n) >= 0) {
            return false;
        }
        if (rejectHighS && s.compareTo(halfN) > 0) {
            return false;
        }
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, new ECPublicKeyParameters(q, domain));
        return verifier.verifySignature(hash32, r, s);
    }

    /** True when the S half of {@code r || s} is at most n/2. */
    public boolean isLowS(byte[] sig) {
        return sig.length == 64 && new BigInteger(1, Arrays.copyOfRange(sig, 32, 64)).compareTo(halfN) <= 0;
    }

    private ECPoint decodePoint(byte[] pk) {
        if (pk == null || pk.length != 33 || (pk[0] != 2 && pk[0] != 3)) {
            return null;
        }
        try {
            ECPoint q = domain.getCurve().decodePoint(pk);
            return q.isInfinity() || !q.isValid() ? null : q;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void requireSecret(byte[] secret) {
        if (!isValidSecret(secret)) {
            throw new IllegalArgumentException("not a valid " + name + " secret scalar");
        }
    }

    private static void put32(BigInteger v, byte[] out, int off) {
        byte[] b = v.toByteArray();
        int len = Math.min(b.length, 32);
        System.arraycopy(b, b.length - len, out, off + 32 - len, len);
    }

    @Override
    public String toString() {
        return "Ecdsa[" + name + "]";
    }
}
