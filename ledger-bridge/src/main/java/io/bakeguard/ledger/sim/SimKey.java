package io.bakeguard.ledger.sim;

import io.bakeguard.ledger.app.LedgerCurve;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;

/**
 * One derived key inside the simulated device: its public key in the device's reply format and its
 * signing routine (spec/ledger-baking-apdu.md s.3.2, s.3.6): Ed25519 raw 64 bytes; ECDSA with RFC 6979
 * (HMAC-SHA256) nonces, DER-encoded with the parity of R's y in bit 0 of the first byte. The device
 * does not normalise S: the host must (s.3.6).
 */
final class SimKey {
    private final LedgerCurve curve;
    private final byte[] secret;

    SimKey(LedgerCurve curve, byte[] secret) {
        this.curve = curve;
        this.secret = secret.clone();
    }

    /** Key length byte + key, as GET_PUBLIC_KEY replies. */
    byte[] publicKeyReply() {
        byte[] key = switch (curve) {
            case ED25519 -> {
                byte[] pk = new Ed25519PrivateKeyParameters(secret, 0)
                        .generatePublicKey()
                        .getEncoded();
                byte[] k = new byte[33];
                k[0] = 0x02;
                System.arraycopy(pk, 0, k, 1, 32);
                yield k;
            }
            case SECP256K1, SECP256R1 ->
                params().getG().multiply(new BigInteger(1, secret)).normalize().getEncoded(false);
            default -> throw new IllegalStateException(curve + " unsupported");
        };
        byte[] out = new byte[key.length + 1];
        out[0] = (byte) key.length;
        System.arraycopy(key, 0, out, 1, key.length);
        return out;
    }

    /** Signs a 32-byte hash (the app's {@code sign} routine). */
    byte[] sign(byte[] hash) {
        if (curve == LedgerCurve.ED25519) {
            Ed25519Signer s = new Ed25519Signer();
            s.init(true, new Ed25519PrivateKeyParameters(secret, 0));
            s.update(hash, 0, hash.length);
            return s.generateSignature();
        }
        X9ECParameters p = params();
        BigInteger n = p.getN();
        BigInteger d = new BigInteger(1, secret);
        BigInteger e = new BigInteger(1, hash);
        HMacDSAKCalculator kc = new HMacDSAKCalculator(new SHA256Digest());
        kc.init(n, d, hash);
        // Bounded: each retry happens with probability ~2^-128.
        for (int tries = 0; tries < 16; tries++) {
            BigInteger k = kc.nextK();
            ECPoint r = p.getG().multiply(k).normalize();
            BigInteger rx = r.getAffineXCoord().toBigInteger().mod(n);
            if (rx.signum() == 0) {
                continue;
            }
            BigInteger s = k.modInverse(n).multiply(e.add(d.multiply(rx))).mod(n);
            if (s.signum() == 0) {
                continue;
            }
            int parity = r.getAffineYCoord().toBigInteger().testBit(0) ? 1 : 0;
            byte[] der = der(rx, s);
            der[0] = (byte) (der[0] | parity);
            return der;
        }
        throw new IllegalStateException("ECDSA nonce generation did not converge");
    }

    /** INS 0x0E (s.3.7): HMAC-SHA256 keyed by SHA-512 of the signature of a fixed 32-byte string. */
    byte[] hmac(byte[] message) {
        byte[] fixed =
                java.util.HexFormat.of().parseHex("6c4e7e706c54d367c87a8d89c16adfe06cb5680cb7d18e625a90475ec0dbdb9f");
        try {
            byte[] key = MessageDigest.getInstance("SHA-512").digest(sign(fixed));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private X9ECParameters params() {
        return curve == LedgerCurve.SECP256K1 ? KeyDerivation.SECP256K1 : KeyDerivation.P256;
    }

    private static byte[] der(BigInteger r, BigInteger s) {
        byte[] rb = r.toByteArray();
        byte[] sb = s.toByteArray();
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(0x30);
        o.write(4 + rb.length + sb.length);
        o.write(0x02);
        o.write(rb.length);
        o.writeBytes(rb);
        o.write(0x02);
        o.write(sb.length);
        o.writeBytes(sb);
        return o.toByteArray();
    }
}
