package io.bakeguard.core.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.bakeguard.core.crypto.Blake2b;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every published request (public_requests.json) and every forged message (signatures.json) decodes
 * to the fields the vector lists; vectors flagged as using a layout octez refuses give a typed error.
 */
class RequestDecoderVectorTest {

    static Stream<Arguments> publicRequests() {
        List<Arguments> out = new ArrayList<>();
        for (JsonNode v : Vectors.load("public_requests.json").get("vectors")) {
            out.add(Arguments.of(Named.of(v.get("title").asText(), v)));
        }
        return out.stream();
    }

    static Stream<Arguments> signatureMessages() {
        List<Arguments> out = new ArrayList<>();
        for (JsonNode m : Vectors.load("signatures.json").get("messages")) {
            out.add(Arguments.of(Named.of(m.get("id").asText(), m)));
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("publicRequests")
    void publicRequestDecodesToItsListedFields(JsonNode vector) throws Exception {
        checkVector(vector);
    }

    @ParameterizedTest
    @MethodSource("signatureMessages")
    void forgedMessageDecodesToItsListedFields(JsonNode vector) throws Exception {
        checkVector(vector);
    }

    private static void checkVector(JsonNode vector) throws Exception {
        byte[] bytes = Vectors.hex(vector.get("hex").asText());
        JsonNode d = vector.get("decoded");
        assertThat(bytes).hasSize(d.get("length").asInt());
        assertThat(Blake2b.hash256Hex(bytes))
                .isEqualTo(d.get("blake2b_256_of_request_hex").asText());
        assertThat(String.format("0x%02x", bytes[0] & 0xff))
                .isEqualTo(d.get("magic").asText());

        if (missesProofOptionByte(d)) {
            // octez (Rio+) requires the option byte: the decoder must fail closed, naming the field.
            assertThatThrownBy(() -> RequestDecoder.decode(bytes))
                    .isInstanceOf(DecodingException.class)
                    .hasMessageContaining("update_consensus_key proof")
                    .hasMessageContaining("truncated");
            return;
        }

        SigningRequest r = RequestDecoder.decode(bytes);
        assertThat(r.bytes()).isEqualTo(bytes);
        String kind = d.get("request_kind").asText();
        switch (kind) {
            case "block", "preattestation", "attestation" -> {
                assertThat(r).isInstanceOf(SigningRequest.Consensus.class);
                SigningRequest.Consensus c = (SigningRequest.Consensus) r;
                assertThat(c.kind().octezName()).isEqualTo(kind);
                assertThat(c.chainId()).isEqualTo(d.get("chain_id").asText());
                assertThat(c.level()).isEqualTo(d.get("level").asInt());
                assertThat(c.round()).isEqualTo(d.get("round").asInt());
                Optional<Integer> tag = d.has("operation")
                        ? Optional.of(d.get("operation").get("tag").asInt())
                        : Optional.empty();
                assertThat(c.operationTag()).isEqualTo(tag);
            }
            case "generic" -> {
                assertThat(r).isInstanceOf(SigningRequest.GenericOperation.class);
                SigningRequest.GenericOperation g = (SigningRequest.GenericOperation) r;
                assertThat(g.branch()).isEqualTo(d.get("branch").asText());
                List<String> expected = new ArrayList<>();
                d.get("operation_kinds").forEach(k -> expected.add(k.asText()));
                assertThat(g.operations().stream().map(OperationKind::policyName))
                        .containsExactlyElementsOf(expected);
            }
            default -> {
                assertThat(kind).startsWith("micheline_expression");
                assertThat(r).isInstanceOf(SigningRequest.Other.class);
                assertThat(r.magic()).isEqualTo(MagicByte.MICHELINE);
            }
        }
    }

    private static boolean missesProofOptionByte(JsonNode decoded) {
        JsonNode contents = decoded.get("contents");
        if (contents == null) {
            return false;
        }
        for (JsonNode c : contents) {
            if (c.path("proof_option_byte_missing_at_eof").asBoolean(false)) {
                return true;
            }
        }
        return false;
    }
}
