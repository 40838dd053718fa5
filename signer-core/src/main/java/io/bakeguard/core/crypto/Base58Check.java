package io.bakeguard.core.crypto;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Base58check as Tezos uses it (spec/tezos-remote-signer.md s.6): base58 (Bitcoin alphabet) of
 * {@code prefix || payload || first4(sha256(sha256(prefix || payload)))}.
 */
public final class Base58Check {
    private static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static final int[] INDEXES = new int[128];
    private static final BigInteger FIFTY_EIGHT = BigInteger.valueOf(58);
    /** Longest text we decode: the longest Tezos base58 string is far shorter; bounds the work on junk. */
    private static final int MAX_TEXT = 512;

    static {
        Arrays.fill(INDEXES, -1);
        for (int i = 0; i < ALPHABET.length(); i++) {
            INDEXES[ALPHABET.charAt(i)] = i;
        }
    }

    private Base58Check() {}

    /** Encodes {@code payload} with {@code prefix}; the payload length must match the prefix. */
    public static String encode(Prefix prefix, byte[] payload) {
        if (payload.length != prefix.payloadLength()) {
            throw new IllegalArgumentException(
                    prefix.text() + " payload must be " + prefix.payloadLength() + " bytes, got " + payload.length);
        }
        byte[] body = concat(prefix.bytes(), payload);
        return encodeRaw(concat(body, Arrays.copyOf(doubleSha256(body), 4)));
    }

    /**
     * Decodes {@code text} expecting {@code prefix} and returns the payload.
     *
     * @throws Base58Exception when the text is not valid base58, the checksum is wrong, or the prefix
     *     or length differ from the expected ones
     */
    public static byte[] decode(String text, Prefix prefix) throws Base58Exception {
        byte[] body = decodeChecked(text);
        if (!prefix.matches(body)) {
            throw new Base58Exception("expected a " + prefix.text() + " value (" + prefix.payloadLength()
                    + " bytes), got " + abbreviate(text));
        }
        return Arrays.copyOfRange(body, prefix.prefixLength(), body.length);
    }

    /** Decodes {@code text} and finds which prefix it carries. */
    public static Decoded decodeAny(String text) throws Base58Exception {
        byte[] body = decodeChecked(text);
        Optional<Prefix> p = Prefix.detect(body);
        if (p.isEmpty()) {
            throw new Base58Exception("unknown base58check prefix in " + abbreviate(text));
        }
        return new Decoded(p.get(), Arrays.copyOfRange(body, p.get().prefixLength(), body.length));
    }

    /** A decoded value and the prefix it carried. */
    public record Decoded(Prefix prefix, byte[] payload) {}

    private static byte[] decodeChecked(String text) throws Base58Exception {
        byte[] raw = decodeRaw(text);
        if (raw.length < 5) {
            throw new Base58Exception("base58check value too short: " + abbreviate(text));
        }
        byte[] body = Arrays.copyOf(raw, raw.length - 4);
        byte[] check = Arrays.copyOfRange(raw, raw.length - 4, raw.length);
        if (!MessageDigest.isEqual(check, Arrays.copyOf(doubleSha256(body), 4))) {
            throw new Base58Exception("bad base58check checksum in " + abbreviate(text));
        }
        return body;
    }

    static String encodeRaw(byte[] data) {
        int zeros = 0;
        while (zeros < data.length && data[zeros] == 0) {
            zeros++;
        }
        StringBuilder sb = new StringBuilder();
        BigInteger n = new BigInteger(1, data);
        while (n.signum() > 0) {
            BigInteger[] qr = n.divideAndRemainder(FIFTY_EIGHT);
            sb.append(ALPHABET.charAt(qr[1].intValue()));
            n = qr[0];
        }
        for (int i = 0; i < zeros; i++) {
            sb.append('1');
        }
        return sb.reverse().toString();
    }

    static byte[] decodeRaw(String text) throws Base58Exception {
        if (text == null || text.isEmpty()) {
            throw new Base58Exception("empty base58 value");
        }
        if (text.length() > MAX_TEXT) {
            throw new Base58Exception("base58 value too long (" + text.length() + " characters)");
        }
        BigInteger n = BigInteger.ZERO;
        int zeros = 0;
        boolean leading = true;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int digit = c < 128 ? INDEXES[c] : -1;
            if (digit < 0) {
                throw new Base58Exception("invalid base58 character '" + (c < 32 || c > 126 ? "?" : String.valueOf(c))
                        + "' at position " + i);
            }
            if (leading && digit == 0) {
                zeros++;
            } else {
                leading = false;
            }
            n = n.multiply(FIFTY_EIGHT).add(BigInteger.valueOf(digit));
        }
        byte[] mag = n.signum() == 0 ? new byte[0] : n.toByteArray();
        int strip = mag.length > 0 && mag[0] == 0 ? 1 : 0;
        byte[] out = new byte[zeros + mag.length - strip];
        System.arraycopy(mag, strip, out, zeros, mag.length - strip);
        return out;
    }

    private static byte[] doubleSha256(byte[] data) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return sha.digest(sha.digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JRE", e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() <= 16 ? "'" + s + "'" : "'" + s.substring(0, 12) + "...' (" + s.length() + " chars)";
    }
}
