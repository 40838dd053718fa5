package io.bakeguard.safety.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.bakeguard.core.request.RequestDecoder;
import io.bakeguard.core.request.SigningRequest;
import io.bakeguard.core.watermark.WatermarkKind;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The requests the bakers send are read back by signer-core's own decoder with the intended slot. */
class RequestForgeTest {
    private static final byte[] HASH = new byte[32];

    private static SigningRequest.Consensus decode(byte[] bytes) throws Exception {
        return (SigningRequest.Consensus) RequestDecoder.decode(bytes);
    }

    @Test
    void attestationIs80BytesWithTag21AndDecodesToItsLevelAndRound() throws Exception {
        byte[] a = RequestForge.attestation(Baker.CHAIN, HASH, 7, 123_456, 2, HASH);

        assertThat(a).hasSize(80);
        assertThat(a[0]).isEqualTo((byte) 0x13);
        assertThat(a[37]).isEqualTo((byte) 21);
        SigningRequest.Consensus c = decode(a);
        assertThat(c.kind()).isEqualTo(WatermarkKind.ATTESTATION);
        assertThat(c.level()).isEqualTo(123_456);
        assertThat(c.round()).isEqualTo(2);
        assertThat(c.chainId()).isEqualTo("NetXdQprcVkpaWU");
        assertThat(c.operationTag()).isEqualTo(Optional.of(21));
    }

    @Test
    void preattestationUsesMagic0x12AndTag20() throws Exception {
        SigningRequest.Consensus c = decode(RequestForge.preattestation(Baker.CHAIN, HASH, 0, 99, 5, HASH));

        assertThat(c.kind()).isEqualTo(WatermarkKind.PREATTESTATION);
        assertThat(c.operationTag()).isEqualTo(Optional.of(20));
        assertThat(c.level()).isEqualTo(99);
        assertThat(c.round()).isEqualTo(5);
    }

    @Test
    void blockIs198BytesAndDecodesToItsLevelAndRound() throws Exception {
        byte[] b = RequestForge.block(Baker.CHAIN, 4_000_001, 1, HASH, HASH);

        assertThat(b).hasSize(198);
        SigningRequest.Consensus c = decode(b);
        assertThat(c.kind()).isEqualTo(WatermarkKind.BLOCK);
        assertThat(c.level()).isEqualTo(4_000_001);
        assertThat(c.round()).isEqualTo(1);
    }

    @Test
    void scheduleStepsMapToIncreasingLevelsAndRounds() {
        assertThat(SlotSchedule.level(0)).isEqualTo(SlotSchedule.BASE_LEVEL);
        assertThat(SlotSchedule.round(2)).isEqualTo(2);
        assertThat(SlotSchedule.level(3)).isEqualTo(SlotSchedule.BASE_LEVEL + 1);
        assertThat(SlotSchedule.round(3)).isZero();
        SlotSchedule s = new SlotSchedule();
        s.advance(0, "block", 0);
        s.advance(0, "block", 0); // a second baker that saw step 0 does not skip a step
        assertThat(s.current(0, "block")).isEqualTo(1);
        assertThat(s.current(1, "block")).isZero();
    }
}
