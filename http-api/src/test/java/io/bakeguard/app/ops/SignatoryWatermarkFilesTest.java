package io.bakeguard.app.ops;

import static io.bakeguard.app.ops.TestIds.MAINNET;
import static io.bakeguard.app.ops.TestIds.tz1;
import static io.bakeguard.app.ops.TestIds.tz4;
import static io.bakeguard.app.ops.TestIds.vh;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bakeguard.core.crypto.Base58Check;
import io.bakeguard.core.crypto.Prefix;
import io.bakeguard.core.watermark.WatermarkKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SignatoryWatermarkFilesTest {
    @TempDir
    Path base;

    private Path write(String chain, String json) throws IOException {
        Path d = Files.createDirectories(base.resolve("watermark_v2"));
        return Files.writeString(d.resolve(chain + ".json"), json);
    }

    private static String mark(int level, int round, String hash) {
        return "{\"level\": " + level + ", \"round\": " + round + ", \"hash\": "
                + (hash == null ? "null" : "\"" + hash + "\"") + "}";
    }

    @Test
    void readsTheV2LayoutPkhThenKindWithVhHashes() throws Exception {
        write(
                MAINNET,
                "{\"" + tz1(1) + "\": {\"block\": " + mark(100, 0, vh(1)) + ", \"preattestation\": "
                        + mark(101, 2, vh(2)) + ", \"attestation\": " + mark(101, 2, vh(3)) + "}}");

        List<ImportMark> marks = SignatoryWatermarkFiles.read(base);

        assertThat(marks).hasSize(3);
        ImportMark block = marks.stream()
                .filter(m -> m.kind() == WatermarkKind.BLOCK)
                .findFirst()
                .orElseThrow();
        assertThat(block.level()).isEqualTo(100);
        assertThat(block.chainId()).as("the chain comes from the file name").isEqualTo(MAINNET);
        assertThat(block.digestHex())
                .contains(HexFormat.of().formatHex(Base58Check.decode(vh(1), Prefix.BLOCK_PAYLOAD_HASH)));
    }

    @Test
    void theSpecsPublishedHashDecodesToItsDigest() throws Exception {
        // spec/tezos-remote-signer.md s.4.2: Signatory's integration test stores this for payload A1.
        String published = "vh2THNfr1pU3TjJyJkw7BKq19suqMX1W9PXRVAgpueELhGTAuhSx";
        write(MAINNET, "{\"" + tz1(1) + "\": {\"block\": " + mark(1, 0, published) + "}}");

        assertThat(SignatoryWatermarkFiles.read(base).get(0).digestHex())
                .hasValueSatisfying(h -> assertThat(h).hasSize(64).matches("[0-9a-f]{64}"));
    }

    @Test
    void attestationWithDalSharesTheAttestationBucketAndTheHigherMarkWins() throws Exception {
        write(
                MAINNET,
                "{\"" + tz1(1) + "\": {\"attestation\": " + mark(50, 0, vh(1)) + ", \"attestation_with_dal\": "
                        + mark(50, 1, vh(2)) + "}}");

        assertThat(SignatoryWatermarkFiles.read(base)).singleElement().satisfies(m -> {
            assertThat(m.kind()).isEqualTo(WatermarkKind.ATTESTATION);
            assertThat(m.round()).isEqualTo(1);
        });
    }

    @Test
    void olderKindNamesMapToTheTenderbakeBuckets() throws Exception {
        write(
                MAINNET,
                "{\"" + tz4(2) + "\": {\"preendorsement\": " + mark(7, 0, null) + ", \"endorsement\": "
                        + mark(8, 0, null) + "}}");

        assertThat(SignatoryWatermarkFiles.read(base))
                .extracting(ImportMark::kind)
                .containsExactly(WatermarkKind.PREATTESTATION, WatermarkKind.ATTESTATION);
    }

    @Test
    void theWatermarkV2DirItselfIsAcceptedAndEveryChainFileIsRead() throws Exception {
        write(MAINNET, "{\"" + tz1(1) + "\": {\"block\": " + mark(1, 0, null) + "}}");
        write(TestIds.chain(3), "{\"" + tz1(1) + "\": {\"block\": " + mark(2, 0, null) + "}}");

        assertThat(SignatoryWatermarkFiles.read(base.resolve("watermark_v2"))).hasSize(2);
    }

    @Test
    void anUnknownRequestKindIsAnErrorListingTheKnownOnes() throws Exception {
        write(MAINNET, "{\"" + tz1(1) + "\": {\"generic\": " + mark(1, 0, null) + "}}");

        assertThatThrownBy(() -> SignatoryWatermarkFiles.read(base))
                .isInstanceOf(WatermarkFileException.class)
                .hasMessageContaining("unknown request kind")
                .hasMessageContaining("attestation_with_dal");
    }

    @Test
    void aFileNamedWithoutAChainIdIsAnError() throws Exception {
        write("mainnet", "{}");

        assertThatThrownBy(() -> SignatoryWatermarkFiles.read(base))
                .isInstanceOf(WatermarkFileException.class)
                .hasMessageContaining("'mainnet' is not a base58 chain id");
    }

    @Test
    void aBaseDirWithoutChainFilesIsAnError() {
        assertThatThrownBy(() -> SignatoryWatermarkFiles.read(base))
                .isInstanceOf(WatermarkFileException.class)
                .hasMessageContaining("watermark_v2/<chain_id>.json");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "{\"KEY\": {\"block\": {\"level\": 1, \"round\": 0, \"hash\": \"vhNotBase58!\"}}}",
                "{\"KEY\": {\"block\": {\"level\": 1, \"round\": 0, \"hash\": \"NetXdQprcVkpaWU\"}}}",
                "{\"KEY\": {\"block\": {\"level\": 1, \"round\": -2}}}",
                "{\"KEY\": {\"block\": []}}",
                "{\"KEY\": []}",
                "{\"tz9abc\": {}}",
                "{\"KEY\": {\"block\": {\"level\": 1}}"
            })
    void malformedFilesAreRefusedWithAnErrorNamingTheFile(String content) throws Exception {
        Path f = write(MAINNET, content.replace("KEY", tz1(1)));

        assertThatThrownBy(() -> SignatoryWatermarkFiles.read(base))
                .isInstanceOf(WatermarkFileException.class)
                .hasMessageStartingWith(f.toString());
    }
}
