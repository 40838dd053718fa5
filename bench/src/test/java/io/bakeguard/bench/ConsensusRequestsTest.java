package io.bakeguard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bakeguard.core.request.RequestDecoder;
import io.bakeguard.core.request.SigningRequest;
import io.bakeguard.core.watermark.WatermarkKind;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ConsensusRequestsTest {
    private final ConsensusRequests forge = new ConsensusRequests(new byte[] {0x7a, 0x06, (byte) 0xa7, 0x70});

    @Test
    void anAttestationDecodesWithTheLevelRoundAndChainItWasBuiltWith() throws Exception {
        byte[] b = forge.build(true, 7, 123_456, 2);
        assertThat(b).hasSize(80);
        SigningRequest r = RequestDecoder.decode(b);
        assertThat(r).isInstanceOf(SigningRequest.Consensus.class);
        SigningRequest.Consensus c = (SigningRequest.Consensus) r;
        assertThat(c.kind()).isEqualTo(WatermarkKind.ATTESTATION);
        assertThat(c.level()).isEqualTo(123_456);
        assertThat(c.round()).isEqualTo(2);
        assertThat(c.chainId()).isEqualTo("NetXdQprcVkpaWU");
        assertThat(b[37]).isEqualTo((byte) 21);
    }

    @Test
    void aPreattestationUsesMagic0x12AndTag20() throws Exception {
        byte[] b = forge.build(false, 0, 10, 0);
        assertThat(b[0]).isEqualTo((byte) 0x12);
        assertThat(b[37]).isEqualTo((byte) 20);
        assertThat(((SigningRequest.Consensus) RequestDecoder.decode(b)).kind())
                .isEqualTo(WatermarkKind.PREATTESTATION);
    }

    @Test
    void consecutiveLevelsCarryDifferentPayloadHashes() {
        byte[] a = forge.build(true, 0, 100, 0);
        byte[] b = forge.build(true, 0, 101, 0);
        assertThat(Arrays.copyOfRange(a, 48, 80)).isNotEqualTo(Arrays.copyOfRange(b, 48, 80));
        assertThat(forge.build(true, 0, 100, 0)).isEqualTo(a);
    }

    @Test
    void anUnknownKindNameIsRefusedWithTheAcceptedNames() {
        assertThatThrownBy(() -> ConsensusRequests.Kind.parse("block"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("attestation, preattestation or consensus");
    }
}
