package io.bakeguard.app.ops;

import static io.bakeguard.app.ops.TestIds.MAINNET;
import static io.bakeguard.app.ops.TestIds.hex32;
import static io.bakeguard.app.ops.TestIds.tz1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bakeguard.core.watermark.WatermarkKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OctezWatermarkFilesTest {
    @TempDir
    Path dir;

    private void write(String kind, String json) throws IOException {
        Files.writeString(dir.resolve(kind + "_high_watermarks"), json);
    }

    /** The documented shape: {"<chain>": {"<pkh>": {"level", "round", "hash", "signature"}}}. */
    private static String file(String chain, String pkh, int level, Integer round, String hash) {
        return "{\"" + chain + "\": {\"" + pkh + "\": {\"level\": " + level
                + (round == null ? "" : ", \"round\": " + round)
                + (hash == null ? "" : ", \"hash\": \"" + hash + "\"")
                + ", \"signature\": \"edsigtXomBKi5CTRf5cjATJWSyaRvhfYNHqSUGrn4SdbYRcGwQrUGjzEfQDTuqHhuA8b2d8NarZjz8TRf65WkpQmo423BtomS8Q\"}}}";
    }

    @Test
    void readsEveryKindFileInTheDocumentedFormat() throws Exception {
        write("block", file(MAINNET, tz1(1), 5_000_100, 0, hex32(1)));
        write("preattestation", file(MAINNET, tz1(1), 5_000_101, 1, hex32(2)));
        write("attestation", file(MAINNET, tz1(1), 5_000_102, 2, hex32(3)));

        List<ImportMark> marks = OctezWatermarkFiles.read(dir);

        assertThat(marks)
                .extracting(ImportMark::kind, ImportMark::level, ImportMark::round, ImportMark::digestHex)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(WatermarkKind.BLOCK, 5_000_100, 0, Optional.of(hex32(1))),
                        org.assertj.core.groups.Tuple.tuple(
                                WatermarkKind.PREATTESTATION, 5_000_101, 1, Optional.of(hex32(2))),
                        org.assertj.core.groups.Tuple.tuple(
                                WatermarkKind.ATTESTATION, 5_000_102, 2, Optional.of(hex32(3))));
        assertThat(marks).allSatisfy(m -> {
            assertThat(m.keyHash()).isEqualTo(tz1(1));
            assertThat(m.chainId()).isEqualTo(MAINNET);
        });
    }

    @Test
    void severalChainsAndKeysInOneFileAreAllRead() throws Exception {
        write(
                "attestation",
                "{\"" + MAINNET + "\": {\"" + tz1(1) + "\": {\"level\": 10, \"round\": 0},"
                        + " \"" + tz1(2) + "\": {\"level\": 20, \"round\": 3}},"
                        + " \"" + TestIds.chain(9) + "\": {\"" + tz1(1) + "\": {\"level\": 30}}}");

        List<ImportMark> marks = OctezWatermarkFiles.read(dir);

        assertThat(marks).hasSize(3);
        assertThat(marks)
                .filteredOn(m -> m.chainId().equals(TestIds.chain(9)))
                .singleElement()
                .satisfies(m -> {
                    assertThat(m.level()).isEqualTo(30);
                    assertThat(m.round()).as("an Emmy mark has no round: 0").isZero();
                    assertThat(m.digestHex()).isEmpty();
                });
    }

    @Test
    void legacyEndorsementFileRaisesBothTheEndorsementAndTheAttestationBucket() throws Exception {
        write("endorsement", file(MAINNET, tz1(1), 700, 0, hex32(4)));

        assertThat(OctezWatermarkFiles.read(dir))
                .extracting(ImportMark::kind)
                .containsExactlyInAnyOrder(WatermarkKind.ENDORSEMENT, WatermarkKind.ATTESTATION);
    }

    @Test
    void whenTwoFilesRaiseOneBucketTheHigherMarkWins() throws Exception {
        write("attestation", file(MAINNET, tz1(1), 900, 1, hex32(5)));
        write("endorsement", file(MAINNET, tz1(1), 800, 0, hex32(6)));

        assertThat(OctezWatermarkFiles.read(dir))
                .filteredOn(m -> m.kind() == WatermarkKind.ATTESTATION)
                .singleElement()
                .satisfies(m -> assertThat(m.level()).isEqualTo(900));
    }

    @Test
    void aDirectoryWithoutWatermarkFilesIsAnErrorThatNamesTheExpectedDir() {
        assertThatThrownBy(() -> OctezWatermarkFiles.read(dir))
                .isInstanceOf(WatermarkFileException.class)
                .hasMessageContaining("_high_watermarks")
                .hasMessageContaining("~/.tezos-signer");
    }

    @Test
    void aMissingDirectoryIsAnError() {
        assertThatThrownBy(() -> OctezWatermarkFiles.read(dir.resolve("nope")))
                .isInstanceOf(WatermarkFileException.class)
                .hasMessageContaining("not a directory");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "{",
                "[]",
                "{\"NetXdQprcVkpaWU\": 5}",
                "{\"NetXdQprcVkpaWU\": {\"tz1notakey\": {\"level\": 1}}}",
                "{\"NotAChain\": {}}",
                "{\"NetXdQprcVkpaWU\": {\"KEY\": {\"round\": 1}}}",
                "{\"NetXdQprcVkpaWU\": {\"KEY\": {\"level\": \"12\"}}}",
                "{\"NetXdQprcVkpaWU\": {\"KEY\": {\"level\": -1}}}",
                "{\"NetXdQprcVkpaWU\": {\"KEY\": {\"level\": 4294967296}}}",
                "{\"NetXdQprcVkpaWU\": {\"KEY\": {\"level\": 1.5}}}",
                "{\"NetXdQprcVkpaWU\": {\"KEY\": {\"level\": 1, \"round\": true}}}",
                "{\"NetXdQprcVkpaWU\": {\"KEY\": {\"level\": 1, \"hash\": \"abcd\"}}}",
                "{\"NetXdQprcVkpaWU\": {\"KEY\": {\"level\": 1, \"hash\": 7}}}",
                "{\"NetXdQprcVkpaWU\": {\"KEY\": {\"level\": 1}, \"KEY\": {\"level\": 2}}}",
                "{\"NetXdQprcVkpaWU\": {}} trailing"
            })
    void malformedFilesAreRefusedWithAnErrorNamingTheFile(String content) throws Exception {
        write("block", content.replace("KEY", tz1(1)));

        assertThatThrownBy(() -> OctezWatermarkFiles.read(dir))
                .isInstanceOf(WatermarkFileException.class)
                .hasMessageStartingWith(dir.resolve("block_high_watermarks").toString());
    }

    @Test
    void anEmptyObjectHasNoMarks() throws Exception {
        write("block", "{}");

        assertThat(OctezWatermarkFiles.read(dir)).isEmpty();
    }
}
