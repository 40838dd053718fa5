package io.bakeguard.core.key;

import static io.bakeguard.core.key.KeyVectors.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.bakeguard.core.crypto.Bls;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** vectors/keys.json and vectors/encrypted_keys.json. */
class KeyVectorsTest {

    static Stream<JsonNode> keys() {
        return KeyVectors.list(KeyVectors.load("keys.json").get("keys")).stream();
    }

    static Stream<JsonNode> octezEncodingTriples() {
        List<JsonNode> l = KeyVectors.list(KeyVectors.load("keys.json")
                .get("octez_key_encoding_vectors_cross_check")
                .get("entries"));
        assertThat(l).hasSize(12);
        return l.stream();
    }

    static Stream<JsonNode> encryptedKeys() {
        return KeyVectors.list(KeyVectors.load("encrypted_keys.json").get("entries")).stream();
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("keys")
    void everyPublishedSecretKeyDerivesItsPublicKeyAndHash(JsonNode v) throws Exception {
        SecretKey sk = SecretKey.parse(v.get("secret_key").asText(), Optional.empty());
        assertThat(sk.curve()).isEqualTo(KeyVectors.curve(v.get("curve").asText()));
        assertThat(hex(sk.secretBytes())).isEqualTo(v.get("secret_key_raw_hex").asText());
        assertThat(sk.toBase58()).isEqualTo(v.get("secret_key").asText());
        PublicKey pk = sk.publicKey();
        assertThat(pk.toBase58()).isEqualTo(v.get("public_key").asText());
        assertThat(hex(pk.raw())).isEqualTo(v.get("public_key_raw_hex").asText());
        assertThat(hex(pk.tagged())).isEqualTo(v.get("public_key_tagged_hex").asText());
        assertThat(pk.hash()).isEqualTo(v.get("public_key_hash").asText());
        if (v.has("secret_scalar_big_endian_hex")) {
            byte[] le = sk.secretBytes();
            byte[] be = new byte[le.length];
            for (int i = 0; i < le.length; i++) {
                be[i] = le[le.length - 1 - i];
            }
            assertThat(hex(be)).isEqualTo(v.get("secret_scalar_big_endian_hex").asText());
        }
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("keys")
    void publishedPublicKeysAndHashesRoundTrip(JsonNode v) throws Exception {
        PublicKey pk = PublicKey.parse(v.get("public_key").asText());
        assertThat(pk.toBase58()).isEqualTo(v.get("public_key").asText());
        assertThat(PublicKey.fromTagged(hex(v.get("public_key_tagged_hex").asText())))
                .isEqualTo(pk);
        String pkh = v.get("public_key_hash").asText();
        assertThat(pk.hash()).isEqualTo(pkh);
        assertThat(KeyHashes.isValid(pkh)).isTrue();
        assertThat(KeyHashes.curveOf(pkh)).isEqualTo(pk.curve());
        byte[] tagged = KeyHashes.toTagged21(pkh);
        assertThat(hex(tagged))
                .isEqualTo(v.get("public_key_hash_21byte_tagged_hex").asText());
        assertThat(hex(tagged).substring(2))
                .isEqualTo(v.get("public_key_hash_raw_hex").asText());
        assertThat(KeyHashes.fromTagged21(tagged)).isEqualTo(pkh);
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("keys")
    void legacySixtyFourByteEd25519FormReadsAsTheSameKey(JsonNode v) throws Exception {
        if (!v.has("secret_key_64_byte_form")) {
            return; // only the Ed25519 entries have the 64-byte form
        }
        SecretKey legacy = SecretKey.parse(v.get("secret_key_64_byte_form").asText(), Optional.empty());
        assertThat(legacy.publicKey().toBase58()).isEqualTo(v.get("public_key").asText());
        assertThat(legacy.toBase58()).isEqualTo(v.get("secret_key").asText());
        assertThat(SecretKey.parse(
                                "unencrypted:"
                                        + v.get("secret_key_64_byte_form").asText(),
                                Optional.empty())
                        .publicKey())
                .isEqualTo(legacy.publicKey());
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("octezEncodingTriples")
    void octezKeyEncodingTriplesDeriveTheirPublicKeyAndHash(JsonNode v) throws Exception {
        SecretKey sk = SecretKey.parse("unencrypted:" + v.get("secret_key").asText(), Optional.empty());
        assertThat(sk.curve()).isEqualTo(KeyVectors.curve(v.get("curve").asText()));
        assertThat(sk.publicKey().toBase58()).isEqualTo(v.get("public_key").asText());
        assertThat(sk.publicKey().hash()).isEqualTo(v.get("public_key_hash").asText());
        byte[] seed = hex(v.get("seed_hex").asText());
        // For BLS the octez seed is KeyGen input keying material; for the other curves it is the secret.
        byte[] raw = sk.curve() == Curve.BLS12_381 ? Bls.secretFromSeed(seed) : seed;
        assertThat(hex(sk.secretBytes())).isEqualTo(hex(raw));
        assertThat(SecretKey.ofRaw(sk.curve(), raw).toBase58())
                .isEqualTo(v.get("secret_key").asText());
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("encryptedKeys")
    void everyPublishedEncryptedKeyDecryptsWithItsPassword(JsonNode v) throws Exception {
        char[] pw = v.get("password").asText().toCharArray();
        String enc = v.get("encrypted").asText();
        SecretKey sk = SecretKey.parse("encrypted:" + enc, Optional.of(pw));
        assertThat(sk.toBase58()).isEqualTo(v.get("decrypted_secret_key").asText());
        assertThat(hex(sk.secretBytes())).isEqualTo(v.get("decrypted_raw_hex").asText());
        assertThat(SecretKey.parse(enc, Optional.of(pw)).toBase58()).isEqualTo(sk.toBase58());
        if (v.has("expected_public_key_hash")) {
            assertThat(sk.publicKey().hash())
                    .isEqualTo(v.get("expected_public_key_hash").asText());
        }
        if (sk.curve() == Curve.BLS12_381) {
            assertThat(SecretKey.parse("aggregate_encrypted:" + enc, Optional.of(pw))
                            .toBase58())
                    .isEqualTo(sk.toBase58());
        }
        byte[] derived = SecretKey.deriveKey(pw, hex(v.get("salt_hex").asText()));
        assertThat(hex(derived)).isEqualTo(v.get("pbkdf2_sha512_32768_key_hex").asText());
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("encryptedKeys")
    void encryptedKeyWithWrongPasswordIsRefusedWithoutLeakingIt(JsonNode v) {
        String enc = "encrypted:" + v.get("encrypted").asText();
        assertThatThrownBy(() -> SecretKey.parse(enc, Optional.of("not the password".toCharArray())))
                .isInstanceOf(KeyFormatException.class)
                .hasMessage("wrong password or corrupted encrypted key");
        assertThatThrownBy(() -> SecretKey.parse(enc, Optional.empty()))
                .isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("password is needed");
    }
}
