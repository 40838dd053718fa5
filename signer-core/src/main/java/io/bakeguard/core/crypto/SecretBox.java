package io.bakeguard.core.crypto;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * NaCl {@code crypto_secretbox} (XSalsa20-Poly1305) in the layout octez uses for {@code encrypted:} keys
 * (spec/tezos-remote-signer.md s.6.1): output = {@code tag(16) || ciphertext}. The first 32 bytes of
 * the XSalsa20 keystream are the one-time Poly1305 key; the message is encrypted with the keystream
 * that follows them.
 */
public final class SecretBox {
    public static final int KEY_BYTES = 32;
    public static final int NONCE_BYTES = 24;
    public static final int TAG_BYTES = 16;

    private SecretBox() {}

    /** Encrypts and authenticates {@code plaintext}; returns {@code tag || ciphertext}. */
    public static byte[] seal(byte[] key, byte[] nonce, byte[] plaintext) {
        XSalsa20Engine stream = stream(key, nonce);
        byte[] polyKey = new byte[32];
        stream.processBytes(new byte[32], 0, 32, polyKey, 0);
        byte[] out = new byte[TAG_BYTES + plaintext.length];
        stream.processBytes(plaintext, 0, plaintext.length, out, TAG_BYTES);
        byte[] tag = mac(polyKey, out, TAG_BYTES, plaintext.length);
        System.arraycopy(tag, 0, out, 0, TAG_BYTES);
        Arrays.fill(polyKey, (byte) 0);
        return out;
    }

    /**
     * Checks the tag and decrypts {@code box} ({@code tag || ciphertext}); empty when the box is too
     * short or the tag does not match (wrong key or tampered data).
     */
    public static Optional<byte[]> open(byte[] key, byte[] nonce, byte[] box) {
        if (box.length < TAG_BYTES) {
            return Optional.empty();
        }
        XSalsa20Engine stream = stream(key, nonce);
        byte[] polyKey = new byte[32];
        stream.processBytes(new byte[32], 0, 32, polyKey, 0);
        int len = box.length - TAG_BYTES;
        byte[] expected = mac(polyKey, box, TAG_BYTES, len);
        Arrays.fill(polyKey, (byte) 0);
        if (!MessageDigest.isEqual(expected, Arrays.copyOf(box, TAG_BYTES))) {
            return Optional.empty();
        }
        byte[] plain = new byte[len];
        stream.processBytes(box, TAG_BYTES, len, plain, 0);
        return Optional.of(plain);
    }

    private static XSalsa20Engine stream(byte[] key, byte[] nonce) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("secretbox key must be 32 bytes, got " + key.length);
        }
        if (nonce.length != NONCE_BYTES) {
            throw new IllegalArgumentException("secretbox nonce must be 24 bytes, got " + nonce.length);
        }
        XSalsa20Engine e = new XSalsa20Engine();
        e.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
        return e;
    }

    private static byte[] mac(byte[] polyKey, byte[] data, int off, int len) {
        Poly1305 poly = new Poly1305();
        poly.init(new KeyParameter(polyKey));
        poly.update(data, off, len);
        byte[] tag = new byte[TAG_BYTES];
        poly.doFinal(tag, 0);
        return tag;
    }
}
