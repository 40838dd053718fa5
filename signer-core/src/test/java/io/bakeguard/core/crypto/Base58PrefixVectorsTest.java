package io.bakeguard.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.bakeguard.core.key.KeyVectors;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** vectors/base58_prefixes.json, plus seeded round-trip and corruption properties of base58check. */
class Base58PrefixVectorsTest {
    private static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    static Stream<JsonNode> prefixes() {
        return KeyVectors.list(KeyVectors.load("base58_prefixes.json").get("prefixes")).stream();
    }

    private static Prefix prefixOf(JsonNode v) {
        byte[] bytes = HexFormat.of().parseHex(v.get("prefix_bytes_hex").asText());
        int len = v.get("payload_length_bytes").asInt();
        return Arrays.stream(Prefix.values())
                .filter(p -> Arrays.equals(p.bytes(), bytes) && p.payloadLength() == len)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no Prefix for " + v.get("name")));
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("prefixes")
    void everyPrefixEncodesTheAllZeroExample(JsonNode v) throws Exception {
        Prefix p = prefixOf(v);
        String expected = v.get("example_all_zero_payload").asText();
        String encoded = Base58Check.encode(p, new byte[p.payloadLength()]);
        assertThat(encoded)
                .isEqualTo(expected)
                .startsWith(v.get("encoded_starts_with").asText());
        assertThat(encoded).hasSize(v.get("encoded_length_chars").asInt());
        assertThat(p.text()).isEqualTo(v.get("encoded_starts_with").asText());
        Base58Check.Decoded d = Base58Check.decodeAny(expected);
        assertThat(d.prefix()).isEqualTo(p);
        assertThat(d.payload()).isEqualTo(new byte[p.payloadLength()]);
    }

    @Test
    void randomPayloadsRoundTripUnderEveryPrefix() throws Exception {
        Random rnd = new Random(0xB45E58L);
        for (int i = 0; i < 2000; i++) {
            Prefix p = Prefix.values()[rnd.nextInt(Prefix.values().length)];
            byte[] payload = new byte[p.payloadLength()];
            rnd.nextBytes(payload);
            String text = Base58Check.encode(p, payload);
            assertThat(text).startsWith(p.text());
            assertThat(Base58Check.decode(text, p)).isEqualTo(payload);
            Base58Check.Decoded d = Base58Check.decodeAny(text);
            assertThat(d.prefix()).isEqualTo(p);
            assertThat(d.payload()).isEqualTo(payload);
        }
    }

    @Test
    void everySingleCharacterCorruptionIsDetected() {
        Random rnd = new Random(0xC0FFEEL);
        for (int i = 0; i < 2000; i++) {
            Prefix p = Prefix.values()[rnd.nextInt(Prefix.values().length)];
            byte[] payload = new byte[p.payloadLength()];
            rnd.nextBytes(payload);
            String text = Base58Check.encode(p, payload);
            int pos = rnd.nextInt(text.length());
            char original = text.charAt(pos);
            char replacement;
            do {
                replacement = ALPHABET.charAt(rnd.nextInt(ALPHABET.length()));
            } while (replacement == original);
            String corrupted = text.substring(0, pos) + replacement + text.substring(pos + 1);
            assertThatThrownBy(() -> Base58Check.decodeAny(corrupted))
                    .as("corruption at %d of %s", pos, text)
                    .isInstanceOf(Base58Exception.class);
        }
    }
}
