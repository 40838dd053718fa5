package io.bakeguard.ledger.sim;

import io.bakeguard.ledger.app.Bip32Path;
import io.bakeguard.ledger.app.LedgerCurve;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.text.Normalizer;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.sec.SECNamedCurves;
import org.bouncycastle.asn1.x9.X9ECParameters;

/**
 * How a Ledger turns its seed into keys (spec/ledger-baking-apdu.md s.3.9, s.8.3 item 7): BIP39
 * mnemonic to a 64-byte seed, then SLIP-10 with the curve's master-key string ({@code ed25519 seed},
 * {@code Bitcoin seed}, {@code Nist256p1 seed}). Ed25519 derives hardened components only.
 */
public final class KeyDerivation {
    /** The Baking app's test mnemonic: 24 times {@code zebra} (s.3.9). */
    public static final String ZEBRA_MNEMONIC = String.join(" ", java.util.Collections.nCopies(24, "zebra"));

    static final X9ECParameters SECP256K1 = SECNamedCurves.getByName("secp256k1");
    static final X9ECParameters P256 = SECNamedCurves.getByName("secp256r1");

    private KeyDerivation() {}

    /** BIP39: PBKDF2-HMAC-SHA512(NFKD(mnemonic), "mnemonic" + passphrase, 2048 rounds, 64 bytes). */
    public static byte[] bip39Seed(String mnemonic, String passphrase) {
        String m = Normalizer.normalize(mnemonic.trim().replaceAll("\\s+", " "), Normalizer.Form.NFKD);
        String salt = Normalizer.normalize("mnemonic" + passphrase, Normalizer.Form.NFKD);
        try {
            SecretKeyFactory f = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512");
            PBEKeySpec spec = new PBEKeySpec(m.toCharArray(), salt.getBytes(StandardCharsets.UTF_8), 2048, 512);
            return f.generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA512 unavailable", e);
        }
    }

    /** The 32-byte private key (Ed25519 seed or ECDSA scalar) at {@code path}. */
    public static byte[] derive(byte[] seed, LedgerCurve curve, Bip32Path path) {
        return switch (curve) {
            case ED25519 -> deriveEd25519(seed, path);
            case SECP256K1 -> deriveEcdsa(seed, "Bitcoin seed", SECP256K1, path);
            case SECP256R1 -> deriveEcdsa(seed, "Nist256p1 seed", P256, path);
            default -> throw new IllegalArgumentException("the simulator does not derive " + curve + " keys");
        };
    }

    private static byte[] deriveEd25519(byte[] seed, Bip32Path path) {
        byte[] i = hmac("ed25519 seed".getBytes(StandardCharsets.US_ASCII), seed);
        byte[] k = Arrays.copyOf(i, 32);
        byte[] c = Arrays.copyOfRange(i, 32, 64);
        for (int comp : path.components()) {
            if ((comp & Bip32Path.HARDENED) == 0) {
                throw new IllegalArgumentException("Ed25519 (SLIP-10) derives hardened components only");
            }
            byte[] data = new byte[37];
            System.arraycopy(k, 0, data, 1, 32);
            ser32(comp, data, 33);
            i = hmac(c, data);
            k = Arrays.copyOf(i, 32);
            c = Arrays.copyOfRange(i, 32, 64);
        }
        return k;
    }

    private static byte[] deriveEcdsa(byte[] seed, String masterKey, X9ECParameters curve, Bip32Path path) {
        BigInteger n = curve.getN();
        byte[] key = masterKey.getBytes(StandardCharsets.US_ASCII);
        byte[] i = hmac(key, seed);
        // SLIP-10: retry the master key while IL is 0 or not below n (bounded: the chance is ~2^-128).
        for (int tries = 0; !validScalar(Arrays.copyOf(i, 32), n); tries++) {
            if (tries > 16) {
                throw new IllegalStateException("SLIP-10 master key derivation did not converge");
            }
            i = hmac(key, i);
        }
        BigInteger k = new BigInteger(1, Arrays.copyOf(i, 32));
        byte[] c = Arrays.copyOfRange(i, 32, 64);
        for (int comp : path.components()) {
            byte[] data = new byte[37];
            if ((comp & Bip32Path.HARDENED) != 0) {
                System.arraycopy(to32(k), 0, data, 1, 32);
            } else {
                byte[] pub = curve.getG().multiply(k).normalize().getEncoded(true);
                System.arraycopy(pub, 0, data, 0, 33);
            }
            ser32(comp, data, 33);
            for (int tries = 0; ; tries++) {
                if (tries > 16) {
                    throw new IllegalStateException("SLIP-10 child derivation did not converge");
                }
                i = hmac(c, data);
                BigInteger il = new BigInteger(1, Arrays.copyOf(i, 32));
                BigInteger child = il.add(k).mod(n);
                if (il.compareTo(n) < 0 && child.signum() != 0) {
                    k = child;
                    c = Arrays.copyOfRange(i, 32, 64);
                    break;
                }
                data = new byte[37];
                data[0] = 0x01;
                System.arraycopy(i, 32, data, 1, 32);
                ser32(comp, data, 33);
            }
        }
        return to32(k);
    }

    private static boolean validScalar(byte[] il, BigInteger n) {
        BigInteger v = new BigInteger(1, il);
        return v.signum() != 0 && v.compareTo(n) < 0;
    }

    static byte[] to32(BigInteger v) {
        byte[] b = v.toByteArray();
        byte[] out = new byte[32];
        int len = Math.min(32, b.length);
        System.arraycopy(b, b.length - len, out, 32 - len, len);
        return out;
    }

    private static void ser32(int v, byte[] out, int off) {
        out[off] = (byte) (v >>> 24);
        out[off + 1] = (byte) (v >>> 16);
        out[off + 2] = (byte) (v >>> 8);
        out[off + 3] = (byte) v;
    }

    static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA512");
            mac.init(new SecretKeySpec(key, "HmacSHA512"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA512 unavailable", e);
        }
    }
}
