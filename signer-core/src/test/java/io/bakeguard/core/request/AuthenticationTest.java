package io.bakeguard.core.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuthenticationTest {

    @Test
    void bytesToSignAreTheExactBytesOfEveryAuthenticationVector() throws Exception {
        JsonNode vectors = Vectors.load("authentication.json").get("vectors");
        assertThat(vectors.size()).isPositive();
        for (JsonNode v : vectors) {
            byte[] data = Vectors.hex(v.get("message_hex").asText());
            byte[] expected = Vectors.hex(v.get("bytes_signed_by_client_hex").asText());
            assertThat(HexFormat.of()
                            .formatHex(Authentication.bytesToSign(
                                    v.get("signing_key_pkh").asText(), data)))
                    .isEqualTo(HexFormat.of().formatHex(expected));
        }
    }

    @Test
    void taggedKeyHashCarriesTheCurveTagOfEachKeyType() throws Exception {
        JsonNode keys = Vectors.load("keys.json");
        int checked = 0;
        for (JsonNode k : keys.get("keys")) {
            assertThat(HexFormat.of()
                            .formatHex(Authentication.taggedKeyHash(
                                    k.get("public_key_hash").asText())))
                    .as(k.get("id").asText())
                    .isEqualTo(k.get("public_key_hash_21byte_tagged_hex").asText());
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(4);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "tz1",
                "tz1KqTpEZ7Yob7QbPE4Hy4Wo8fHG8LhKxZSy",
                "KT1WvzYHCNBvDSdwafTHv7nJ1dWmZ8GCYuuC",
                "NetXdQprcVkpaWU",
                "edpktzNbDAUjUk697W7gYg2CRuBQjyPxbEg8dLccYYwKSKvkPvjtV9",
                "tz1KqTpEZ7Yob7QbPE4Hy4Wo8fHG8LhKxZS0"
            })
    void aTextThatIsNoPublicKeyHashIsRefusedWithATypedError(String pkh) {
        assertThatThrownBy(() -> Authentication.bytesToSign(pkh, new byte[] {0x11}))
                .isInstanceOf(InvalidKeyHashException.class)
                .hasMessageNotContaining("null");
    }
}
