package io.bakeguard.ledger.app;

import io.bakeguard.core.crypto.Base58Check;
import io.bakeguard.core.crypto.Prefix;
import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.asn1.sec.SECNamedCurves;
import org.bouncycastle.asn1.x9.X9ECParameters;

/**
 * Device signature bytes to Tezos signatures (spec/ledger-baking-apdu.md s.3.6): Ed25519 as is; ECDSA
 * from DER with the parity flag in bit 0 of the first byte to r||s, with low-S normalisation.
 */
public final class DeviceSignatures {
    private static final BigInteger SECP256K1_N = order("secp256k1");
    private static final BigInteger P256_N = order("secp256r1");

    private DeviceSignatures() {}

    private static BigInteger order(String name) {
        X9ECParameters p = SECNamedCurves.getByName(name);
        return p.getN();
    }

    /** The 64-byte Tezos signature for a device signature of {@code curve}. */
    public static byte[] toTezos(LedgerCurve curve, byte[] deviceSig) throws LedgerException.DeviceFailure {
        return switch (curve) {
            case ED25519, BIP32_ED25519 -> {
                if (deviceSig.length != 64) {
                    throw new LedgerException.DeviceFailure(
                            "Ed25519 signature of " + deviceSig.length + " bytes, expected 64", -1);
                }
                yield deviceSig.clone();
            }
            case SECP256K1 -> derToRs(deviceSig, SECP256K1_N);
            case SECP256R1 -> derToRs(deviceSig, P256_N);
            default -> throw new LedgerException.DeviceFailure("Ledger " + curve + " signatures are not supported", -1);
        };
    }

    /** Base58 with the curve's signature prefix ({@code edsig}, {@code spsig1}, {@code p2sig}). */
    public static String toBase58(LedgerCurve curve, byte[] tezosSig) {
        Prefix p = switch (curve.tezosCurve()) {
            case ED25519 -> Prefix.ED25519_SIGNATURE;
            case SECP256K1 -> Prefix.SECP256K1_SIGNATURE;
            case P256 -> Prefix.P256_SIGNATURE;
            case BLS12_381 -> Prefix.BLS12_381_SIGNATURE;
        };
        return Base58Check.encode(p, tezosSig);
    }

    /** Clears the parity flag, parses strict DER, pads r and s to 32 bytes, and makes s low. */
    static byte[] derToRs(byte[] der, BigInteger n) throws LedgerException.DeviceFailure {
        if (der.length < 8 || der.length > 72) {
            throw bad("length " + der.length);
        }
        byte[] d = der.clone();
        d[0] = (byte) (d[0] & 0xfe);
        if ((d[0] & 0xff) != 0x30 || (d[1] & 0xff) != d.length - 2) {
            throw bad("sequence header");
        }
        int pos = 2;
        BigInteger[] rs = new BigInteger[2];
        for (int i = 0; i < 2; i++) {
            if (pos + 2 > d.length || d[pos] != 0x02) {
                throw bad("integer tag");
            }
            int len = d[pos + 1] & 0xff;
            if (len == 0 || len > 33 || pos + 2 + len > d.length) {
                throw bad("integer length");
            }
            rs[i] = new BigInteger(1, Arrays.copyOfRange(d, pos + 2, pos + 2 + len));
            pos += 2 + len;
        }
        if (pos != d.length) {
            throw bad("trailing bytes");
        }
        BigInteger r = rs[0];
        BigInteger s = rs[1];
        if (r.signum() == 0 || s.signum() == 0 || r.compareTo(n) >= 0 || s.compareTo(n) >= 0) {
            throw bad("r or s out of range");
        }
        if (s.compareTo(n.shiftRight(1)) > 0) {
            s = n.subtract(s);
        }
        byte[] out = new byte[64];
        copy32(r, out, 0);
        copy32(s, out, 32);
        return out;
    }

    private static void copy32(BigInteger v, byte[] out, int off) {
        byte[] b = v.toByteArray();
        int len = Math.min(b.length, 32);
        System.arraycopy(b, b.length - len, out, off + 32 - len, len);
    }

    private static LedgerException.DeviceFailure bad(String what) {
        return new LedgerException.DeviceFailure("malformed DER signature from the device (" + what + ")", -1);
    }
}
