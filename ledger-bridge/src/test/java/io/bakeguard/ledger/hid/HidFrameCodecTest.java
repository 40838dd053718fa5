package io.bakeguard.ledger.hid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Frames of spec/ledger-baking-apdu.md s.3.9 byte for byte, boundaries and bad input. */
class HidFrameCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    private static String zeros(int n) {
        return "00".repeat(n);
    }

    private static byte[] attestationMessage() {
        // spec s.3.9: 13 00000000 <32 x 00> 15 0000 00000001 00000002 <32 x 00>
        return HEX.parseHex("13" + "00000000" + zeros(32) + "15" + "0000" + "00000001" + "00000002" + zeros(32));
    }

    @Test
    void versionRequestIsOneFrameAsInTheSpec() {
        List<byte[]> frames = HidFrameCodec.encode(0x0101, HEX.parseHex("8000000000"));
        assertThat(frames).hasSize(1);
        assertThat(HEX.formatHex(frames.get(0))).isEqualTo("0101050000" + "0005" + "8000000000" + zeros(52));
    }

    @Test
    void keyApduIsOneFrameAsInTheSpec() {
        byte[] apdu = HEX.parseHex("8004000011048000002c800006c18000000080000000");
        List<byte[]> frames = HidFrameCodec.encode(0x0101, apdu);
        assertThat(frames).hasSize(1);
        assertThat(HEX.formatHex(frames.get(0)))
                .isEqualTo("0101050000" + "0016" + "8004000011048000002c800006c18000000080000000" + zeros(35));
    }

    @Test
    void messageApduOf85BytesTakesTwoFramesAsInTheSpec() {
        byte[] msg = attestationMessage();
        byte[] apdu = new byte[85];
        System.arraycopy(HEX.parseHex("8004810050"), 0, apdu, 0, 5);
        System.arraycopy(msg, 0, apdu, 5, 80);
        List<byte[]> frames = HidFrameCodec.encode(0x0101, apdu);
        assertThat(frames).hasSize(2);
        assertThat(HEX.formatHex(frames.get(0)))
                .isEqualTo("0101050000" + "0055" + "8004810050" + HEX.formatHex(Arrays.copyOfRange(msg, 0, 52)));
        assertThat(HEX.formatHex(frames.get(1)))
                .isEqualTo("0101050001" + HEX.formatHex(Arrays.copyOfRange(msg, 52, 80)) + zeros(31));
    }

    @Test
    void signatureReplyOfTheSpecReassemblesToSignatureAndStatusWord() throws Exception {
        String sig = "f35488848b3e512eadfd509d381ddb269a8f8af69c4cfc55bac436ef2c519d63"
                + "67ac04575b82eacca3485ce7d816abafa69dcf4257e306d32c290a06ff354d04";
        byte[] f0 = HEX.parseHex("0101050000" + "0042" + sig.substring(0, 114));
        byte[] f1 = HEX.parseHex("0101050001" + "290a06ff354d04" + "9000" + zeros(50));
        // The spec writes the first 57 signature bytes ending in ...4257e306d32c: check our split agrees.
        assertThat(sig.substring(0, 114)).endsWith("4257e306d32c");
        HidFrameCodec.Assembler a = new HidFrameCodec.Assembler(0x0101, false, 1000);
        assertThat(a.accept(f0)).isEmpty();
        Optional<byte[]> done = a.accept(f1);
        assertThat(done).isPresent();
        assertThat(HEX.formatHex(done.get())).isEqualTo(sig + "9000");
        // and the encoder produces exactly these two frames
        List<byte[]> enc = HidFrameCodec.encode(0x0101, HEX.parseHex(sig + "9000"));
        assertThat(enc).containsExactly(f0, f1);
    }

    @Test
    void versionReplyOfTheSpecReassembles() throws Exception {
        byte[] f = HEX.parseHex("0101050000" + "0006" + "01020501" + "9000" + zeros(51));
        assertThat(new HidFrameCodec.Assembler(0x0101, false, 100).accept(f))
                .hasValueSatisfying(m -> assertThat(HEX.formatHex(m)).isEqualTo("010205019000"));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 56, 57, 58, 115, 116, 117, 175, 176, 240, 242, 1000})
    void payloadsFillingExactFramesRoundTrip(int size) throws Exception {
        byte[] msg = new byte[size];
        new Random(size).nextBytes(msg);
        List<byte[]> frames = HidFrameCodec.encode(0x2a2b, msg);
        int expected = size <= 57 ? 1 : 1 + (size - 57 + 58) / 59;
        assertThat(frames).hasSize(expected).allSatisfy(f -> assertThat(f).hasSize(64));
        assertThat(HidFrameCodec.frameCount(size)).isEqualTo(expected);
        HidFrameCodec.Assembler a = new HidFrameCodec.Assembler(0x2a2b, false, 0xffff);
        Optional<byte[]> out = Optional.empty();
        for (int i = 0; i < frames.size(); i++) {
            out = a.accept(frames.get(i));
            assertThat(out.isPresent()).isEqualTo(i == frames.size() - 1);
        }
        assertThat(out).hasValueSatisfying(m -> assertThat(m).isEqualTo(msg));
    }

    @Test
    void boundarySizesTakeOneTwoAndThreeFrames() {
        assertThat(HidFrameCodec.frameCount(57)).isEqualTo(1);
        assertThat(HidFrameCodec.frameCount(58)).isEqualTo(2);
        assertThat(HidFrameCodec.frameCount(116)).isEqualTo(2);
        assertThat(HidFrameCodec.frameCount(117)).isEqualTo(3);
        // The largest Baking app command: 5 + 235 bytes in 5 frames (s.2.1).
        assertThat(HidFrameCodec.frameCount(240)).isEqualTo(5);
    }

    @Test
    void frameOfAnotherChannelIsRejectedOrDroppedAsConfigured() throws Exception {
        byte[] f = HidFrameCodec.encode(0x0202, new byte[] {(byte) 0x90, 0}).get(0);
        assertThatThrownBy(() -> new HidFrameCodec.Assembler(0x0101, false, 100).accept(f))
                .isInstanceOf(HidFrameException.class)
                .hasMessageContaining("invalid channel 0x0202");
        HidFrameCodec.Assembler dropping = new HidFrameCodec.Assembler(0x0101, true, 100);
        assertThat(dropping.accept(f)).isEmpty();
        assertThat(dropping.droppedFrames()).isEqualTo(1);
        assertThat(dropping.accept(HidFrameCodec.encode(0x0101, new byte[] {(byte) 0x90, 0})
                        .get(0)))
                .isPresent();
    }

    @Test
    void wrongTagIsRejected() {
        byte[] f = HidFrameCodec.encode(0x0101, new byte[] {(byte) 0x90, 0}).get(0);
        f[2] = 0x02;
        assertThatThrownBy(() -> new HidFrameCodec.Assembler(0x0101, false, 100).accept(f))
                .isInstanceOf(HidFrameException.class)
                .hasMessageContaining("invalid tag 0x02");
    }

    @Test
    void wrongSequenceIsRejected() throws Exception {
        List<byte[]> frames = HidFrameCodec.encode(0x0101, new byte[200]);
        HidFrameCodec.Assembler a = new HidFrameCodec.Assembler(0x0101, false, 1000);
        a.accept(frames.get(0));
        assertThatThrownBy(() -> a.accept(frames.get(2)))
                .isInstanceOf(HidFrameException.class)
                .hasMessageContaining("unexpected sequence index 2, expected 1");
        assertThatThrownBy(() -> new HidFrameCodec.Assembler(0x0101, false, 1000).accept(frames.get(1)))
                .hasMessageContaining("expected 0");
    }

    @Test
    void announcedLengthOverTheLimitIsRejected() {
        byte[] f = HidFrameCodec.encode(0x0101, new byte[300]).get(0);
        assertThatThrownBy(() -> new HidFrameCodec.Assembler(0x0101, false, 260).accept(f))
                .isInstanceOf(HidFrameException.class)
                .hasMessageContaining("exceeds the limit 260");
    }

    @Test
    void shortOrLongFramesAreRejected() {
        HidFrameCodec.Assembler a = new HidFrameCodec.Assembler(0x0101, false, 100);
        assertThatThrownBy(() -> a.accept(new byte[63])).hasMessageContaining("63 bytes");
        assertThatThrownBy(() -> a.accept(new byte[65])).hasMessageContaining("65 bytes");
    }

    @Test
    void frameAfterCompletionIsRejected() throws Exception {
        HidFrameCodec.Assembler a = new HidFrameCodec.Assembler(0x0101, false, 100);
        byte[] f = HidFrameCodec.encode(0x0101, new byte[] {1, 2}).get(0);
        assertThat(a.accept(f)).isPresent();
        assertThatThrownBy(() -> a.accept(f)).hasMessageContaining("complete");
    }

    @Test
    void zeroLengthMessageIsOneFrame() throws Exception {
        byte[] f = HidFrameCodec.encode(0x0101, new byte[0]).get(0);
        assertThat(HEX.formatHex(f)).isEqualTo("0101050000" + "0000" + zeros(57));
        assertThat(new HidFrameCodec.Assembler(0x0101, false, 10).accept(f))
                .hasValueSatisfying(m -> assertThat(m).isEmpty());
    }

    @Test
    void randomGarbageNeverCrashesTheAssembler() {
        Random r = new Random(42);
        for (int i = 0; i < 2000; i++) {
            byte[] f = new byte[64];
            r.nextBytes(f);
            HidFrameCodec.Assembler a = new HidFrameCodec.Assembler(0x0101, r.nextBoolean(), 260);
            try {
                a.accept(f);
            } catch (HidFrameException expected) {
                // typed error: fine
            }
        }
    }
}
