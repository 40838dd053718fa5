package io.bakeguard.core.key;

import io.bakeguard.core.crypto.Base58Check;
import io.bakeguard.core.crypto.Base58Exception;
import io.bakeguard.core.crypto.Bls;
import io.bakeguard.core.crypto.Ecdsa;
import io.bakeguard.core.crypto.Prefix;
import io.bakeguard.core.crypto.SecretBox;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.crypto.PBEParametersGenerator;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * A Tezos secret key of one of the four classic curves, read from what octez stores in {@code
 * secret_keys} (spec/tezos-remote-signer.md s.6, s.6.1). The raw form is the 32-byte Ed25519 seed, the
 * 32-byte big-endian ECDSA scalar, or the 32-byte little-endian BLS scalar. {@link #toString()} never
 * shows the secret; {@link #toBase58()} and {@link #secretBytes()} do and must never be logged.
 */
public final class SecretKey {
    /** PBKDF2 parameters of octez {@code encrypted:} keys (spec s.6.1). */
    static final int PBKDF2_ITERATIONS = 32768;

    static final int SALT_BYTES = 8;
    private static final int SECRET_BYTES = 32;
    private static final byte[] ZERO_NONCE = new byte[SecretBox.NONCE_BYTES];

    private final Curve curve;
    private final byte[] secret;
    private final PublicKey publicKey;

    private SecretKey(Curve curve, byte[] secret) {
        this.curve = curve;
        this.secret = secret;
        this.publicKey = derivePublicKey(curve, secret);
    }

    /**
     * Reads a secret key: {@code unencrypted:<sk>}, {@code encrypted:<esk>} (or the legacy alias {@code
     * aggregate_encrypted:}), or a bare {@code edsk}/{@code spsk}/{@code p2sk}/{@code BLsk} or encrypted
     * value. Both Ed25519 forms are accepted: the 32-byte seed and the legacy 64-byte {@code seed || pk}.
     *
     * @param password needed for encrypted keys only
     * @throws KeyFormatException with a message that contains no secret material
     */
    public static SecretKey parse(String text, Optional<char[]> password) throws KeyFormatException {
        if (text == null) {
            throw new KeyFormatException("secret key is missing");
        }
        Objects.requireNonNull(password, "password");
        String s = text.strip();
        String body = s;
        Optional<Boolean> schemeSaysEncrypted = Optional.empty();
        int colon = s.indexOf(':');
        if (colon >= 0) {
            String scheme = s.substring(0, colon);
            body = s.substring(colon + 1);
            schemeSaysEncrypted = switch (scheme) {
                case "unencrypted" -> Optional.of(false);
                case "encrypted", "aggregate_encrypted" -> Optional.of(true);
                default ->
                    throw new KeyFormatException("unsupported secret key URI scheme"
                            + (scheme.matches("[a-z_]{1,24}") ? " '" + scheme + "'" : "")
                            + " (expected unencrypted:, encrypted: or a bare base58 secret key)");
            };
        }
        Base58Check.Decoded d;
        try {
            d = Base58Check.decodeAny(body);
        } catch (Base58Exception e) {
            // The Base58Exception message quotes the start of the text: do not pass it on for a secret.
            throw new KeyFormatException("secret key is not valid base58check (bad character, checksum or length)");
        }
        byte[] payload = d.payload();
        boolean encrypted = d.prefix().text().endsWith("esk");
        if (schemeSaysEncrypted.isPresent() && schemeSaysEncrypted.get() != encrypted) {
            Arrays.fill(payload, (byte) 0);
            throw new KeyFormatException(
                    encrypted
                            ? "unencrypted: key URI holds an encrypted key (use encrypted:)"
                            : "encrypted: key URI holds an unencrypted key (use unencrypted:)");
        }
        try {
            return switch (d.prefix()) {
                case ED25519_SEED -> ofRaw(Curve.ED25519, payload);
                case ED25519_SECRET_KEY_64 -> fromLegacyEd25519(payload);
                case SECP256K1_SECRET_KEY -> ofRaw(Curve.SECP256K1, payload);
                case P256_SECRET_KEY -> ofRaw(Curve.P256, payload);
                case BLS12_381_SECRET_KEY -> ofRaw(Curve.BLS12_381, payload);
                case ED25519_ENCRYPTED_SEED -> decrypt(Curve.ED25519, payload, password);
                case SECP256K1_ENCRYPTED_SECRET_KEY -> decrypt(Curve.SECP256K1, payload, password);
                case P256_ENCRYPTED_SECRET_KEY -> decrypt(Curve.P256, payload, password);
                case BLS12_381_ENCRYPTED_SECRET_KEY -> decrypt(Curve.BLS12_381, payload, password);
                default ->
                    throw new KeyFormatException(
                            "expected a secret key, got a " + d.prefix().text() + " value");
            };
        } finally {
            Arrays.fill(payload, (byte) 0);
        }
    }

    /** Builds a key from its raw 32 bytes (copied). */
    public static SecretKey ofRaw(Curve curve, byte[] raw) throws KeyFormatException {
        Objects.requireNonNull(curve, "curve");
        if (raw == null || raw.length != SECRET_BYTES) {
            throw new KeyFormatException(curve.cliName() + " secret key must be " + SECRET_BYTES + " bytes");
        }
        boolean valid = switch (curve) {
            case ED25519 -> true;
            case SECP256K1 -> Ecdsa.SECP256K1.isValidSecret(raw);
            case P256 -> Ecdsa.P256.isValidSecret(raw);
            case BLS12_381 -> Bls.isValidSecret(raw);
        };
        if (!valid) {
            throw new KeyFormatException("secret key is out of range for " + curve.cliName());
        }
        return new SecretKey(curve, raw.clone());
    }

    /** A fresh random key of {@code curve}. */
    public static SecretKey generate(Curve curve, SecureRandom rnd) {
        byte[] raw = switch (curve) {
            case ED25519 -> {
                byte[] seed = new byte[SECRET_BYTES];
                rnd.nextBytes(seed);
                yield seed;
            }
            case SECP256K1 -> Ecdsa.SECP256K1.randomSecret(rnd);
            case P256 -> Ecdsa.P256.randomSecret(rnd);
            case BLS12_381 -> Bls.randomSecret(rnd);
        };
        return new SecretKey(curve, raw);
    }

    private static SecretKey fromLegacyEd25519(byte[] payload) throws KeyFormatException {
        byte[] seed = Arrays.copyOf(payload, SECRET_BYTES);
        SecretKey k = new SecretKey(Curve.ED25519, seed);
        if (!MessageDigest.isEqual(k.publicKey.raw(), Arrays.copyOfRange(payload, SECRET_BYTES, payload.length))) {
            throw new KeyFormatException("64-byte edsk secret key: the public key half does not match the seed");
        }
        return k;
    }

    private static SecretKey decrypt(Curve curve, byte[] payload, Optional<char[]> password) throws KeyFormatException {
        if (password.isEmpty()) {
            throw new KeyFormatException("the " + curve.cliName() + " secret key is encrypted: a password is needed");
        }
        byte[] salt = Arrays.copyOf(payload, SALT_BYTES);
        byte[] box = Arrays.copyOfRange(payload, SALT_BYTES, payload.length);
        byte[] key = deriveKey(password.get(), salt);
        try {
            byte[] plain = SecretBox.open(key, ZERO_NONCE, box)
                    .orElseThrow(() -> new KeyFormatException("wrong password or corrupted encrypted key"));
            try {
                return ofRaw(curve, plain);
            } catch (KeyFormatException e) {
                throw new KeyFormatException("encrypted key decrypts to an invalid " + curve.cliName() + " secret key");
            } finally {
                Arrays.fill(plain, (byte) 0);
            }
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    static byte[] deriveKey(char[] password, byte[] salt) {
        byte[] pw = PBEParametersGenerator.PKCS5PasswordToUTF8Bytes(password);
        PKCS5S2ParametersGenerator gen = new PKCS5S2ParametersGenerator(new SHA512Digest());
        gen.init(pw, salt, PBKDF2_ITERATIONS);
        byte[] key = ((KeyParameter) gen.generateDerivedParameters(SecretBox.KEY_BYTES * 8)).getKey();
        Arrays.fill(pw, (byte) 0);
        return key;
    }

    private static PublicKey derivePublicKey(Curve curve, byte[] secret) {
        byte[] raw = switch (curve) {
            case ED25519 ->
                new Ed25519PrivateKeyParameters(secret, 0).generatePublicKey().getEncoded();
            case SECP256K1 -> Ecdsa.SECP256K1.publicKey(secret);
            case P256 -> Ecdsa.P256.publicKey(secret);
            case BLS12_381 -> new Bls.PrivateKey(secret).publicKey();
        };
        try {
            return PublicKey.of(curve, raw);
        } catch (KeyFormatException e) {
            throw new IllegalStateException("derived " + curve.cliName() + " public key is invalid", e);
        }
    }

    public Curve curve() {
        return curve;
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /** The raw secret (a copy): Ed25519 seed, big-endian ECDSA scalar, little-endian BLS scalar. */
    public byte[] secretBytes() {
        return secret.clone();
    }

    /** The base58 secret key ({@code edsk} 32-byte seed form, {@code spsk}, {@code p2sk}, {@code BLsk}). */
    public String toBase58() {
        return Base58Check.encode(KeyPrefixes.secretKey(curve), secret);
    }

    /**
     * The key encrypted as octez does ({@code encrypted:edesk...}): a fresh 8-byte salt, PBKDF2-SHA512
     * (32768 rounds) and secretbox with a zero nonce.
     */
    public String toEncrypted(char[] password, SecureRandom rnd) {
        byte[] salt = new byte[SALT_BYTES];
        rnd.nextBytes(salt);
        byte[] key = deriveKey(password, salt);
        byte[] box = SecretBox.seal(key, ZERO_NONCE, secret);
        Arrays.fill(key, (byte) 0);
        byte[] payload = new byte[SALT_BYTES + box.length];
        System.arraycopy(salt, 0, payload, 0, SALT_BYTES);
        System.arraycopy(box, 0, payload, SALT_BYTES, box.length);
        Prefix p = KeyPrefixes.encryptedSecretKey(curve);
        return "encrypted:" + Base58Check.encode(p, payload);
    }

    /** Shows the curve and public key hash only. */
    @Override
    public String toString() {
        return "SecretKey[" + curve.cliName() + ", " + publicKey.hash() + ", secret hidden]";
    }
}
