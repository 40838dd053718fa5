package io.bakeguard.core.watermark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bakeguard.core.crypto.Blake2b;
import io.bakeguard.core.request.RequestDecoder;
import io.bakeguard.core.request.SigningRequest;
import io.bakeguard.core.request.Vectors;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * hwm_scenarios.json, applied in order to one store as the system does: decode, digest, bucket by
 * magic byte, {@link WatermarkRule#apply}, then, after a grant, store the returned signature with
 * {@link WatermarkRule#recordSignature}. Each step must give octez's outcome: signed, the stored
 * signature returned without signing, or refused with octez's exact message.
 */
class WatermarkScenarioTest {

    @Test
    void everyStepOfTheOctezScenarioGivesOctezOutcome() throws Exception {
        JsonNode steps = Vectors.load("hwm_scenarios.json").get("steps");
        assertThat(steps.size()).isEqualTo(10);
        Map<BucketKey, Watermark> store = new HashMap<>();
        for (JsonNode step : steps) {
            String name = step.get("step").asText();
            byte[] bytes = Vectors.hex(step.get("request_hex").asText());
            SigningRequest.Consensus c = (SigningRequest.Consensus) RequestDecoder.decode(bytes);
            String digest = Blake2b.hash256Hex(bytes);
            assertThat(digest).as(name).isEqualTo(step.get("blake2b_256_hex").asText());
            assertThat(c.level())
                    .as(name)
                    .isEqualTo(step.get("level_round").get(0).asInt());
            assertThat(c.round())
                    .as(name)
                    .isEqualTo(step.get("level_round").get(1).asInt());

            BucketKey bucket = new BucketKey(step.get("signing_key").asText(), c.chainId(), c.kind());
            Reservation r = new Reservation(bucket, c.level(), c.round(), digest);
            // octez signs in an empty store: the scenario runs with first use allowed and no floor.
            Decision d = WatermarkRule.apply(Optional.ofNullable(store.get(bucket)), Optional.empty(), true, r);

            JsonNode octez = step.get("octez_signer_v23plus_with_check_high_watermark");
            String outcome = octez.get("outcome").asText();
            switch (outcome) {
                case "signed" -> {
                    assertThat(d).as(name).isInstanceOf(Decision.Granted.class);
                    Watermark granted = ((Decision.Granted) d).mark();
                    assertThat(granted).isEqualTo(Watermark.unsigned(c.level(), c.round(), digest));
                    store.put(bucket, granted);
                    String signature =
                            octez.get("response").get("body").get("signature").asText();
                    Optional<Watermark> withSig = WatermarkRule.recordSignature(
                            Optional.of(granted), c.level(), c.round(), digest, signature);
                    assertThat(withSig).as(name).isPresent();
                    store.put(bucket, withSig.get());
                }
                case "stored signature returned without re-signing" -> {
                    assertThat(d).as(name).isInstanceOf(Decision.Repeat.class);
                    assertThat(d.allowsSigning()).isFalse();
                    assertThat(((Decision.Repeat) d).storedSignature())
                            .contains(octez.get("response")
                                    .get("body")
                                    .get("signature")
                                    .asText());
                }
                case "refused" -> {
                    assertThat(d).as(name).isInstanceOf(Decision.Refused.class);
                    assertThat(((Decision.Refused) d).message())
                            .as(name)
                            .isEqualTo(octez.get("response")
                                    .get("body")
                                    .get(0)
                                    .get("msg")
                                    .asText());
                }
                default -> throw new AssertionError("unknown outcome " + outcome);
            }
        }
        // Three buckets (mainnet attestation and preattestation, ghostnet attestation); the mainnet
        // attestation bucket ends at the last step's (101, 0).
        assertThat(store).hasSize(3);
        Watermark last = store.get(
                new BucketKey("tz1KqTpEZ7Yob7QbPE4Hy4Wo8fHG8LhKxZSx", "NetXdQprcVkpaWU", WatermarkKind.ATTESTATION));
        assertThat(last.level()).isEqualTo(101);
        assertThat(last.round()).isZero();
    }
}
