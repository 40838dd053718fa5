package io.bakeguard.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Request authentication exactly as octez (spec/tezos-remote-signer.md s.1.5), vectors/authentication.json. */
class AuthenticationTest {
    static ApiFixture api;
    static JsonNode vector;

    @BeforeAll
    static void start() throws Exception {
        vector = Vectors.all("authentication.json", "vectors").get(0);
        api = new ApiFixture(
                List.of(vector.get("authorized_key").get("public_key").asText()),
                Duration.ofSeconds(5),
                false,
                Optional.empty());
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    HttpResponse<String> sign(String pkh, String hex, Optional<String> auth) throws Exception {
        String q = auth.map(a -> "?authentication=" + URLEncoder.encode(a, StandardCharsets.UTF_8))
                .orElse("");
        return api.post(api.signerUri("/keys/" + pkh + q), "\"" + hex + "\"");
    }

    @Test
    void authorizedKeysListsTheHashesOfTheAuthorizedKeys() throws Exception {
        assertThat(api.get(api.signerUri("/authorized_keys")).body())
                .isEqualTo("{\"authorized_keys\":[\""
                        + vector.get("authorized_key").get("public_key_hash").asText() + "\"]}");
    }

    @Test
    void aRequestWithTheVectorsAuthenticationIsSigned() throws Exception {
        HttpResponse<String> r = sign(
                vector.get("signing_key_pkh").asText(),
                vector.get("message_hex").asText(),
                Optional.of(vector.get("authentication_signature").asText()));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    void aMissingAuthenticationIs401() throws Exception {
        SignerApiTest.assertOctezError(
                sign(
                        vector.get("signing_key_pkh").asText(),
                        vector.get("message_hex").asText(),
                        Optional.empty()),
                401,
                "missing authentication signature field");
    }

    @Test
    void anAuthenticationOverOtherBytesIs403() throws Exception {
        String other = SignerApiTest.attestation("01020399", 1, 0, 1);
        SignerApiTest.assertOctezError(
                sign(
                        vector.get("signing_key_pkh").asText(),
                        other,
                        Optional.of(vector.get("authentication_signature").asText())),
                403,
                "invalid authentication signature");
        SignerApiTest.assertOctezError(
                sign(vector.get("signing_key_pkh").asText(), other, Optional.of("edsignotasignature")),
                403,
                "invalid authentication signature");
    }

    @Test
    void authenticationIsCheckedBeforeTheKeyLookupSoUnknownKeysLeakNothing() throws Exception {
        String unknown = "tz1gjaF81ZRRvdzjobyfVNsAeSC6PScjfQwN";
        assertThat(sign(unknown, vector.get("message_hex").asText(), Optional.empty())
                        .statusCode())
                .isEqualTo(401);
        assertThat(sign(
                                unknown,
                                vector.get("message_hex").asText(),
                                Optional.of(
                                        vector.get("authentication_signature").asText()))
                        .statusCode())
                .isEqualTo(403);
    }
}
