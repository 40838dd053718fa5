package io.bakeguard.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bakeguard.core.watermark.BucketKey;
import io.bakeguard.core.watermark.Decision;
import io.bakeguard.core.watermark.Floor;
import io.bakeguard.core.watermark.KeyChain;
import io.bakeguard.core.watermark.Watermark;
import io.bakeguard.core.watermark.WatermarkKind;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class GuardCodecTest {
    private static final BucketKey BUCKET = TestCluster.bucket(WatermarkKind.ATTESTATION);
    private static final String DIGEST = TestCluster.digest("x");

    static List<GuardEntry> samples() {
        return List.of(
                new GuardEntry.Reserve(
                        "n1", 1_700_000_000_123L, TestCluster.reservation(WatermarkKind.BLOCK, 7, 2, "b"), true),
                new GuardEntry.Reserve("n2", -5, TestCluster.reservation(WatermarkKind.ATTESTATION, -1, 0, "a"), false),
                new GuardEntry.RecordSignature("n3", 9, BUCKET, 7, 0, DIGEST, "sigABC123"),
                new GuardEntry.RecordDecision("n1", 10, "tz1Unknown", "generic", "", false, "policy: kind transaction"),
                new GuardEntry.RecordDecision("n1", 10, TestCluster.KEY, "micheline", DIGEST, true, ""),
                new GuardEntry.RaiseFloor(
                        "n1", 11, new KeyChain(TestCluster.KEY, TestCluster.CHAIN), new Floor(9, Optional.of(3))),
                new GuardEntry.RaiseFloor(
                        "n1", 11, new KeyChain(TestCluster.KEY, TestCluster.CHAIN), new Floor(9, Optional.empty())),
                new GuardEntry.ImportMarks(
                        "n1",
                        12,
                        Map.of(
                                BUCKET,
                                Watermark.unsigned(5, 1, DIGEST),
                                TestCluster.bucket(WatermarkKind.BLOCK),
                                new Watermark(6, 0, DIGEST, Optional.of("sigXYZ")))));
    }

    @Test
    void everyEntryRoundTrips() throws Exception {
        for (GuardEntry e : samples()) {
            assertThat(GuardCodec.decodeEntry(GuardCodec.encodeEntry(e))).isEqualTo(e);
        }
    }

    @Test
    void everyReplyRoundTrips() throws Exception {
        TreeMap<BucketKey, Watermark> marks =
                new TreeMap<>(Map.of(BUCKET, new Watermark(1, 2, DIGEST, Optional.of("sig1"))));
        TreeMap<KeyChain, Floor> floors =
                new TreeMap<>(Map.of(new KeyChain(TestCluster.KEY, TestCluster.CHAIN), new Floor(3, Optional.empty())));
        List<GuardReply> replies = List.of(
                new GuardReply.Decided(new Decision.Granted(Watermark.unsigned(1, 0, DIGEST)), 42),
                new GuardReply.Decided(new Decision.Repeat(new Watermark(1, 0, DIGEST, Optional.of("sig"))), 43),
                new GuardReply.Decided(
                        new Decision.Refused(Decision.Reason.LEVEL_BELOW, "block level 1 below high watermark 2"), 44),
                new GuardReply.Invalid("bad"),
                new GuardReply.Marks(marks),
                new GuardReply.Floors(floors),
                new GuardReply.Pong(7));
        for (GuardReply r : replies) {
            assertThat(GuardCodec.decodeReply(GuardCodec.encodeReply(r))).isEqualTo(r);
        }
    }

    @Test
    void everyTruncationOfAnEntryIsRefused() {
        for (GuardEntry e : samples()) {
            byte[] bytes = GuardCodec.encodeEntry(e);
            for (int n = 0; n < bytes.length; n++) {
                byte[] cut = Arrays.copyOf(bytes, n);
                assertThatThrownBy(() -> GuardCodec.decodeEntry(cut)).isInstanceOf(GuardCodec.MalformedException.class);
            }
        }
    }

    @Test
    void trailingBytesUnknownVersionsAndUnknownTypesAreRefused() {
        byte[] bytes = GuardCodec.encodeEntry(samples().get(0));
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertThatThrownBy(() -> GuardCodec.decodeEntry(longer)).hasMessageContaining("trailing");
        byte[] version = bytes.clone();
        version[0] = 2;
        assertThatThrownBy(() -> GuardCodec.decodeEntry(version)).hasMessageContaining("version 2");
        byte[] type = bytes.clone();
        type[1] = 99;
        assertThatThrownBy(() -> GuardCodec.decodeEntry(type)).hasMessageContaining("unknown entry type 99");
        assertThatThrownBy(() -> GuardCodec.decodeQuery(new byte[] {1, 9})).hasMessageContaining("unknown query");
        assertThatThrownBy(() -> GuardCodec.decodeReply(new byte[0])).isInstanceOf(GuardCodec.MalformedException.class);
    }

    @Test
    void fieldsOutOfTheirFormatAreRefusedByTheEncoderAndTheDecoder() {
        GuardEntry badKey = new GuardEntry.RecordSignature(
                "n1", 1, new BucketKey("tz1 with spaces", TestCluster.CHAIN, WatermarkKind.BLOCK), 1, 0, DIGEST, "sig");
        assertThatThrownBy(() -> GuardCodec.encodeEntry(badKey)).isInstanceOf(IllegalArgumentException.class);
        GuardEntry upperDigest = new GuardEntry.RecordSignature("n1", 1, BUCKET, 1, 0, DIGEST.toUpperCase(), "sig");
        assertThatThrownBy(() -> GuardCodec.encodeEntry(upperDigest)).hasMessageContaining("digest");
        GuardEntry longReason = new GuardEntry.RecordDecision("n1", 1, "tz1", "generic", "", false, "r".repeat(5000));
        assertThatThrownBy(() -> GuardCodec.encodeEntry(longReason)).hasMessageContaining("reason longer");
        GuardEntry badProposer = new GuardEntry.RecordDecision("n 1", 1, "tz1", "generic", "", false, "");
        assertThatThrownBy(() -> GuardCodec.encodeEntry(badProposer)).hasMessageContaining("proposer");

        // Flip the kind name inside an encoded reservation: the decoder refuses it.
        byte[] bytes = GuardCodec.encodeEntry(samples().get(0));
        String s = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).replace("block", "blorp");
        byte[] corrupted = s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> GuardCodec.decodeEntry(corrupted)).hasMessageContaining("unknown kind blorp");
    }

    @Test
    void randomGarbageNeverDecodesToAnythingButAMalformedError() {
        Random random = new Random(20261121L);
        for (int i = 0; i < 5_000; i++) {
            byte[] garbage = new byte[random.nextInt(200)];
            random.nextBytes(garbage);
            if (garbage.length > 0 && random.nextBoolean()) {
                garbage[0] = GuardCodec.VERSION;
            }
            try {
                GuardCodec.decodeEntry(garbage);
            } catch (GuardCodec.MalformedException expected) {
                // fine: refused
            }
            try {
                GuardCodec.decodeReply(garbage);
            } catch (GuardCodec.MalformedException expected) {
                // fine: refused
            }
        }
    }

    @Test
    void oversizedImportCountsAreRefused() {
        byte[] bytes = GuardCodec.encodeEntry(samples().get(samples().size() - 1));
        // version, type, proposer (2+2 bytes), time (8): the count follows.
        int countAt = 2 + 2 + 2 + 8;
        bytes[countAt] = 0x7f;
        assertThatThrownBy(() -> GuardCodec.decodeEntry(bytes)).hasMessageContaining("import count out of range");
    }
}
