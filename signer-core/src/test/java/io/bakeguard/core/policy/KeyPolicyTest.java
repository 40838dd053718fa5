package io.bakeguard.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bakeguard.core.request.OperationKind;
import io.bakeguard.core.request.RequestDecoder;
import io.bakeguard.core.request.SigningRequest;
import io.bakeguard.core.request.Vectors;
import io.bakeguard.core.watermark.WatermarkKind;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyPolicyTest {
    private static final String PKH = "tz1KqTpEZ7Yob7QbPE4Hy4Wo8fHG8LhKxZSx";
    private static final String GHOSTNET = "NetXnHfVqm9iesp";

    private static SigningRequest message(String id) throws Exception {
        for (var m : Vectors.load("signatures.json").get("messages")) {
            if (m.get("id").asText().equals(id)) {
                return RequestDecoder.decode(Vectors.hex(m.get("hex").asText()));
            }
        }
        throw new IllegalArgumentException(id);
    }

    private static SigningRequest publicRequest(String title) throws Exception {
        for (var v : Vectors.load("public_requests.json").get("vectors")) {
            if (v.get("title").asText().equals(title)) {
                return RequestDecoder.decode(Vectors.hex(v.get("hex").asText()));
            }
        }
        throw new IllegalArgumentException(title);
    }

    @Test
    void defaultPolicyAllowsBlocksPreattestationsAndAttestationsOnAnyChain() throws Exception {
        KeyPolicy p = KeyPolicy.defaults();
        assertThat(p.kinds())
                .containsExactlyInAnyOrder(
                        WatermarkKind.BLOCK, WatermarkKind.PREATTESTATION, WatermarkKind.ATTESTATION);
        assertThat(p.operations()).isEmpty();
        assertThat(p.chains()).isEmpty();
        assertThat(p.firstUse()).isFalse();
        for (String id : List.of(
                "forged_block_round1_locked0",
                "forged_preattestation_tag20",
                "forged_attestation_tag21",
                "forged_attestation_with_dal_tag23",
                "forged_bls_preattestation_tag40",
                "forged_bls_attestation_tag41",
                "signatory_integration_C3_attestation")) {
            assertThat(p.check(message(id)).allowed()).as(id).isTrue();
        }
    }

    @Test
    void defaultPolicyRefusesAGenericOperationNamingItsContents() throws Exception {
        PolicyDecision d = KeyPolicy.defaults().check(message("signatory_generic_transaction"), PKH);
        assertThat(d)
                .isEqualTo(new PolicyDecision.Refused("request kind generic operation with contents [transaction]"
                        + " not allowed by the policy of " + PKH + " (operation kinds not allowed: transaction)"));
    }

    @Test
    void genericOperationIsAllowedOnlyWhenEveryContentKindIsListed() throws Exception {
        KeyPolicy p = KeyPolicy.parse(null, List.of("reveal", "delegation"), null, null);
        assertThat(p.check(publicRequest("reveal not allowed")).allowed()).isTrue();
        assertThat(p.check(publicRequest("delegation ok")).allowed()).isTrue();
        PolicyDecision d = p.check(publicRequest("Drain delegate"));
        assertThat(d.allowed()).isFalse();
        assertThat(((PolicyDecision.Refused) d).reason()).contains("[drain_delegate]");
        PolicyDecision batch = p.check(publicRequest("multiple operations"));
        assertThat(batch.allowed()).isFalse();
        assertThat(((PolicyDecision.Refused) batch).reason())
                .contains("contents [transaction, delegation]")
                .contains("not allowed: transaction)");
    }

    @Test
    void consensusKindNotInThePolicyIsRefused() throws Exception {
        KeyPolicy p = KeyPolicy.parse(List.of("attestation"), null, null, null);
        assertThat(p.check(message("forged_attestation_tag21")).allowed()).isTrue();
        PolicyDecision d = p.check(message("forged_block_round0_unlocked"), PKH);
        assertThat(d)
                .isEqualTo(new PolicyDecision.Refused("request kind block (magic 0x11) not allowed by the policy of "
                        + PKH + " (kinds: attestation)"));
        assertThat(p.check(message("forged_preattestation_tag20")).allowed()).isFalse();
    }

    @Test
    void consensusRequestOnAChainNotListedIsRefused() throws Exception {
        KeyPolicy p = KeyPolicy.parse(null, null, List.of(GHOSTNET), null);
        PolicyDecision d = p.check(message("forged_attestation_tag21"), PKH);
        assertThat(d.allowed()).isFalse();
        assertThat(((PolicyDecision.Refused) d).reason())
                .isEqualTo("request kind attestation on chain NetXdQprcVkpaWU not allowed by the policy of " + PKH
                        + " (chains: " + GHOSTNET + ")");
        KeyPolicy mainnet = KeyPolicy.parse(null, null, List.of("mainnet"), null);
        assertThat(mainnet.chains()).containsExactly(KeyPolicy.MAINNET_CHAIN_ID);
        assertThat(mainnet.check(message("forged_attestation_tag21")).allowed()).isTrue();
    }

    @Test
    void authenticationBytesAreNeverSignedWhateverThePolicy() throws Exception {
        KeyPolicy everything = KeyPolicy.parse(
                List.of("block", "preattestation", "attestation", "endorsement"),
                java.util.Arrays.stream(OperationKind.values())
                        .map(OperationKind::policyName)
                        .toList(),
                null,
                "allow");
        SigningRequest auth = RequestDecoder.decode(Vectors.hex(Vectors.load("authentication.json")
                .get("vectors")
                .get(0)
                .get("bytes_signed_by_client_hex")
                .asText()));
        PolicyDecision d = everything.check(auth);
        assertThat(d.allowed()).isFalse();
        assertThat(((PolicyDecision.Refused) d).reason()).contains("magic 0x04").contains("never signed");
    }

    @Test
    void michelineExpressionsAreRefused() throws Exception {
        PolicyDecision d = KeyPolicy.defaults().check(message("signatory_pack"), PKH);
        assertThat(d.allowed()).isFalse();
        assertThat(((PolicyDecision.Refused) d).reason()).contains("magic 0x05").contains(PKH);
    }

    @Test
    void legacyEndorsementNeedsTheEndorsementKind() throws Exception {
        SigningRequest legacy = RequestDecoder.decode(Vectors.hex("027a06a770ffffffffffff00000065"));
        assertThat(KeyPolicy.defaults().check(legacy).allowed()).isFalse();
        assertThat(KeyPolicy.parse(List.of("endorsement"), null, null, null)
                        .check(legacy)
                        .allowed())
                .isTrue();
    }

    @Test
    void unknownKindNameIsRefusedNamingIt() {
        assertThatThrownBy(() -> KeyPolicy.parse(List.of("block", "endorsment"), null, null, null))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining("'endorsment'")
                .hasMessageContaining("block, endorsement, preattestation, attestation");
    }

    @Test
    void unknownOperationNameIsRefusedNamingIt() {
        assertThatThrownBy(() -> KeyPolicy.parse(null, List.of("reveal", "transfer"), null, null))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining("'transfer'")
                .hasMessageContaining("transaction");
    }

    @Test
    void invalidChainIdIsRefusedNamingIt() {
        assertThatThrownBy(() -> KeyPolicy.parse(null, null, List.of("NetXdQprcVkpaWV"), null))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining("'NetXdQprcVkpaWV'");
        assertThatThrownBy(() -> KeyPolicy.parse(null, null, List.of(PKH), null))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining(PKH);
    }

    @Test
    void firstUseAcceptsAllowAndDenyOnly() throws Exception {
        assertThat(KeyPolicy.parse(null, null, null, "allow").firstUse()).isTrue();
        assertThat(KeyPolicy.parse(null, null, null, "deny").firstUse()).isFalse();
        assertThat(KeyPolicy.parse(null, null, null, null).firstUse()).isFalse();
        assertThatThrownBy(() -> KeyPolicy.parse(null, null, null, "yes"))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining("'yes'");
    }

    @Test
    void emptyKindsListAllowsNoConsensusRequest() throws Exception {
        KeyPolicy p = KeyPolicy.parse(List.of(), List.of("transaction"), null, null);
        assertThat(p.check(message("forged_block_round0_unlocked")).allowed()).isFalse();
        assertThat(p.check(message("signatory_generic_transaction")).allowed()).isTrue();
    }

    @Test
    void policyIsAnImmutableValue() {
        KeyPolicy p = new KeyPolicy(
                new java.util.HashSet<>(Set.of(WatermarkKind.BLOCK)), Set.of(), new java.util.HashSet<>(), false);
        assertThatThrownBy(() -> p.kinds().add(WatermarkKind.ATTESTATION))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(p).isEqualTo(new KeyPolicy(Set.of(WatermarkKind.BLOCK), Set.of(), Set.of(), false));
    }
}
