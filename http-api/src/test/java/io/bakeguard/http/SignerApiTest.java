package io.bakeguard.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bakeguard.core.key.PublicKey;
import io.bakeguard.core.signer.SignatureVersion;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SignerApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TZ1 = "tz1KqTpEZ7Yob7QbPE4Hy4Wo8fHG8LhKxZSx";
    static final String UNKNOWN_TZ1 = "tz1gjaF81ZRRvdzjobyfVNsAeSC6PScjfQwN";

    static ApiFixture api;

    @BeforeAll
    static void start() throws Exception {
        api = new ApiFixture(List.of(), Duration.ofSeconds(1), false, Optional.empty());
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    /** An attestation (tag 21) for a test chain at (level, round) with a payload hash of {@code fill}. */
    static String attestation(String chainHex, int level, int round, int fill) {
        return "13" + chainHex + "00".repeat(32) + "15" + "0000" + String.format("%08x%08x", level, round)
                + HexFormat.of().toHexDigits((byte) fill).repeat(32);
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    static void assertOctezError(HttpResponse<String> r, int status, String msgPart) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode e = json(r);
        assertThat(e.isArray()).isTrue();
        assertThat(e.get(0).get("kind").asText()).isEqualTo("temporary");
        assertThat(e.get(0).get("id").asText()).isEqualTo("failure");
        assertThat(e.get(0).get("msg").asText()).contains(msgPart);
    }

    void assertStillServes() throws Exception {
        HttpResponse<String> r = api.get(api.signerUri("/keys/" + TZ1));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("public_key").asText())
                .isEqualTo(Vectors.key("tz1_bootstrap1").get("public_key").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tz1_bootstrap1", "tz2_octez_test", "tz3_octez_test", "tz4_tezt"})
    void eachCurveSignsTheVectorAttestationAndTheSignatureVerifies(String keyId) throws Exception {
        JsonNode key = Vectors.key(keyId);
        String message = keyId.startsWith("tz4") ? "forged_bls_attestation_tag41" : "forged_attestation_tag21";
        String hex = Vectors.message(message);
        HttpResponse<String> r = api.sign(key.get("public_key_hash").asText(), hex);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String sig = json(r).get("signature").asText();
        PublicKey pk = PublicKey.parse(key.get("public_key").asText());
        assertThat(pk.verify(HexFormat.of().parseHex(hex), sig, SignatureVersion.LATEST))
                .isTrue();
        JsonNode expected = Vectors.signature(keyId, message).orElseThrow();
        if (!keyId.startsWith("tz3")) { // P-256 in octez is randomised; ours need only verify
            assertThat(sig).isEqualTo(expected.get("signature").asText());
        }
        assertThat(api.get(api.signerUri("/keys/" + key.get("public_key_hash").asText()))
                        .body())
                .isEqualTo("{\"public_key\":\"" + key.get("public_key").asText() + "\"}");
    }

    @Test
    void uppercaseHexIsAcceptedAndAnIdenticalRetryReturnsTheSameSignature() throws Exception {
        String hex = attestation("01020304", 10, 0, 0x11);
        HttpResponse<String> first = api.sign(TZ1, hex);
        int touched = api.signatures.get();
        HttpResponse<String> again = api.sign(TZ1, hex.toUpperCase());
        assertThat(api.signatures.get())
                .as("the stored signature is returned, no key touched")
                .isEqualTo(touched);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json(again).get("signature").asText())
                .isEqualTo(json(first).get("signature").asText());
    }

    @Test
    void attestationAtSameLevelAndRoundWithOtherBytesIsRefusedWithOctezMessage() throws Exception {
        assertThat(api.sign(TZ1, attestation("01020305", 20, 1, 0x11)).statusCode())
                .isEqualTo(200);
        assertOctezError(
                api.sign(TZ1, attestation("01020305", 20, 1, 0x22)),
                409,
                "attestation level 20 and round 1 already signed with different data");
        assertOctezError(
                api.sign(TZ1, attestation("01020305", 19, 5, 0x22)),
                409,
                "attestation level 19 below high watermark 20");
    }

    @Test
    void withoutQuorumTheAnswerIs503AndNothingIsSigned() throws Exception {
        int before = api.signatures.get();
        api.guard.quorum = false;
        try {
            assertOctezError(api.sign(TZ1, attestation("01020306", 5, 0, 1)), 503, "no quorum");
            assertThat(api.get(api.adminUri("/readyz")).statusCode()).isEqualTo(503);
        } finally {
            api.guard.quorum = true;
        }
        assertThat(api.signatures.get()).isEqualTo(before);
        assertThat(api.get(api.adminUri("/readyz")).statusCode()).isEqualTo(200);
    }

    @Test
    void genericOperationsAreRefusedByTheDefaultPolicy() throws Exception {
        assertOctezError(api.sign(TZ1, Vectors.message("signatory_generic_transaction")), 403, "not allowed");
    }

    @Test
    void authenticationBytesAreNeverSigned() throws Exception {
        String hex = Vectors.all("authentication.json", "vectors")
                .get(0)
                .get("bytes_signed_by_client_hex")
                .asText();
        assertOctezError(api.sign(TZ1, hex), 403, "magic byte 0x04 not allowed");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "not json",
                "12",
                "{\"a\":1}",
                "[\"13\"]",
                "\"\"",
                "\"abc\"",
                "\"zz00\"",
                "\"13\" trailing",
                "null",
                "\"\u0661\u0662\"",
                "\"1300\""
            })
    void malformedBodiesAre400AndTheServerKeepsServing(String body) throws Exception {
        HttpResponse<String> r = api.post(api.signerUri("/keys/" + TZ1), body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r).get(0).get("id").asText()).isEqualTo("failure");
        assertStillServes();
    }

    @Test
    void emptyBodyIs400() throws Exception {
        assertOctezError(api.post(api.signerUri("/keys/" + TZ1), ""), 400, "empty");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "tz1",
                "tz1KqTpEZ7Yob7QbPE4Hy4Wo8fHG8LhKxZSy",
                "KT1xxx",
                "edpkuBknW28nW72KG6RoHtYW7p12T6GKc7nAbwYX5m8Wd9sDVC9yav"
            })
    void badKeyHashesAre400(String pkh) throws Exception {
        assertOctezError(api.sign(pkh, attestation("01020307", 1, 0, 1)), 400, "invalid public key hash");
        assertThat(api.get(api.signerUri("/keys/" + pkh)).statusCode()).isEqualTo(400);
    }

    @Test
    void unknownKeysAre404() throws Exception {
        assertOctezError(api.sign(UNKNOWN_TZ1, attestation("01020307", 1, 0, 1)), 404, UNKNOWN_TZ1);
        assertThat(api.get(api.signerUri("/keys/" + UNKNOWN_TZ1)).statusCode()).isEqualTo(404);
    }

    @Test
    void wrongMethodsAre405AndUnknownPathsAre404() throws Exception {
        assertThat(api.post(api.signerUri("/authorized_keys"), "\"\"").statusCode())
                .isEqualTo(405);
        var put = api.http.send(
                java.net.http.HttpRequest.newBuilder(api.signerUri("/keys/" + TZ1))
                        .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("\"11\""))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(api.get(api.signerUri("/nothing/here")).statusCode()).isEqualTo(404);
        assertThat(api.get(api.signerUri("/keys/" + TZ1 + "/x")).statusCode()).isEqualTo(404);
    }

    @Test
    void badVersionParameterIs400() throws Exception {
        assertOctezError(
                api.post(api.signerUri("/keys/" + TZ1 + "?version=7"), "\"" + attestation("01020308", 1, 0, 1) + "\""),
                400,
                "version");
    }

    @Test
    void authorizedKeysIsEmptyObjectWithoutAuthenticationAndOptionalEndpointsAreOff() throws Exception {
        assertThat(api.get(api.signerUri("/authorized_keys")).body()).isEqualTo("{}");
        assertOctezError(api.get(api.signerUri("/known_keys")), 403, "List known keys request not allowed.");
        assertOctezError(
                api.get(api.signerUri("/bls_prove_possession/tz4EECtMxAuJ9UDLaiMZH7G1GCFYUWsj8HZn")),
                403,
                "Request to prove possession is not allowed.");
    }

    @Test
    void oversizeBodyIs400AndTheConnectionIsClosed() throws Exception {
        String big = "\"" + "11".repeat(40_000) + "\"";
        try (Socket s = new Socket("127.0.0.1", api.signer.address().getPort())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(
                    ("POST /keys/" + TZ1 + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                                    + big.length() + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String resp = readAll(s.getInputStream());
            assertThat(resp).startsWith("HTTP/1.1 400").contains("over 65536 bytes");
        }
        assertStillServes();
    }

    @Test
    void slowLorisClientIsCutOffAndTheServerStaysHealthy() throws Exception {
        try (Socket s = new Socket("127.0.0.1", api.signer.address().getPort())) {
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            byte[] req = ("GET /keys/" + TZ1 + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            StringBuilder answer = new StringBuilder();
            boolean cutOff = false;
            // One byte every 200 ms: the whole request would take ~12 s; the read timeout is 1 s.
            for (int i = 0; i < req.length && !cutOff; i++) {
                out.write(req[i]);
                out.flush();
                s.setSoTimeout(200);
                try {
                    int n = in.read();
                    if (n >= 0) {
                        answer.append((char) n);
                    }
                    cutOff = true;
                } catch (java.net.SocketTimeoutException e) {
                    // nothing yet: keep trickling
                }
                if (i % 4 == 0) {
                    assertStillServes();
                }
            }
            assertThat(cutOff)
                    .as("the server gave up before the slow request completed")
                    .isTrue();
            s.setSoTimeout(5000);
            answer.append(readAll(in));
            assertThat(answer.toString()).startsWith("HTTP/1.1 400").contains("not received within");
        }
        assertStillServes();
    }

    @Test
    void garbageThatIsNotHttpGetsAClosedConnection() throws Exception {
        try (Socket s = new Socket("127.0.0.1", api.signer.address().getPort())) {
            s.setSoTimeout(5000);
            s.getOutputStream()
                    .write(new byte[] {0x16, 0x03, 0x01, 0x00, (byte) 0xff, 0x01, 0x00, 0x0d, 0x0a, 0x0d, 0x0a});
            s.getOutputStream().flush();
            String resp = readAll(s.getInputStream());
            assertThat(resp).startsWith("HTTP/1.1 400");
        }
        assertStillServes();
    }

    static String readAll(InputStream in) throws java.io.IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
}
