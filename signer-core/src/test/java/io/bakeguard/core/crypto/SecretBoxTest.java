package io.bakeguard.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bakeguard.core.key.KeyVectors;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SecretBoxTest {

    @Test
    void publishedCiphertextsOpenWithTheirDerivedKeys() {
        for (JsonNode v : KeyVectors.list(KeyVectors.load("encrypted_keys.json").get("entries"))) {
            byte[] key = KeyVectors.hex(v.get("pbkdf2_sha512_32768_key_hex").asText());
            byte[] nonce = KeyVectors.hex(v.get("nonce_hex").asText());
            byte[] box =
                    KeyVectors.hex(v.get("secretbox_ciphertext_with_tag_hex").asText());
            byte[] plain = SecretBox.open(key, nonce, box).orElseThrow();
            assertThat(KeyVectors.hex(plain))
                    .isEqualTo(v.get("decrypted_raw_hex").asText());
            assertThat(SecretBox.seal(key, nonce, plain)).isEqualTo(box);
        }
    }

    @Test
    void anyFlippedBitOrWrongKeyIsRejected() {
        Random rnd = new Random(7);
        for (int i = 0; i < 300; i++) {
            byte[] key = new byte[32];
            byte[] nonce = new byte[24];
            byte[] plain = new byte[rnd.nextInt(100)];
            rnd.nextBytes(key);
            rnd.nextBytes(nonce);
            rnd.nextBytes(plain);
            byte[] box = SecretBox.seal(key, nonce, plain);
            assertThat(box).hasSize(plain.length + SecretBox.TAG_BYTES);
            assertThat(SecretBox.open(key, nonce, box))
                    .hasValueSatisfying(p -> assertThat(p).isEqualTo(plain));
            byte[] tampered = box.clone();
            tampered[rnd.nextInt(tampered.length)] ^= (byte) (1 << rnd.nextInt(8));
            assertThat(SecretBox.open(key, nonce, tampered)).isEmpty();
            byte[] otherKey = key.clone();
            otherKey[rnd.nextInt(32)] ^= 1;
            assertThat(SecretBox.open(otherKey, nonce, box)).isEmpty();
        }
        assertThat(SecretBox.open(new byte[32], new byte[24], new byte[15])).isEmpty();
    }
}
