package io.bakeguard.app.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.bakeguard.core.watermark.WatermarkKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads octez-signer's high watermark files (spec/tezos-remote-signer.md s.4.1): one JSON file per
 * kind in the signer's base dir, named {@code <kind>_high_watermarks}, shaped
 * {@code {"<chain>": {"<pkh>": {"level": L, "round": R, "hash": "<64 hex>", "signature": "..."}}}}.
 */
public final class OctezWatermarkFiles {

    /**
     * File kinds and the buckets they raise. Up to octez v22 Tenderbake (pre)attestations (0x12, 0x13)
     * were kept in {@code preendorsement}/{@code endorsement} files, and 0x13 shared the Emmy 0x02
     * {@code endorsement} file: so an {@code endorsement} file raises both buckets (imports only move
     * up, so the extra bucket can only refuse more).
     */
    static final Map<String, List<WatermarkKind>> FILE_KINDS = Map.of(
            "block", List.of(WatermarkKind.BLOCK),
            "preattestation", List.of(WatermarkKind.PREATTESTATION),
            "attestation", List.of(WatermarkKind.ATTESTATION),
            "preendorsement", List.of(WatermarkKind.PREATTESTATION),
            "endorsement", List.of(WatermarkKind.ENDORSEMENT, WatermarkKind.ATTESTATION));

    private static final List<String> ORDER =
            List.of("block", "preattestation", "attestation", "preendorsement", "endorsement");

    private OctezWatermarkFiles() {}

    /**
     * Every mark of every {@code <kind>_high_watermarks} file in {@code dir}, one per bucket (the highest).
     *
     * @throws WatermarkFileException when the directory holds none, or a file is not in the format
     */
    public static List<ImportMark> read(Path dir) throws WatermarkFileException {
        if (!Files.isDirectory(dir)) {
            throw new WatermarkFileException(
                    dir, "not a directory: pass octez-signer's base dir (e.g. ~/.tezos-signer)");
        }
        List<ImportMark> marks = new ArrayList<>();
        int files = 0;
        for (String fileKind : ORDER) {
            Path file = dir.resolve(fileKind + "_high_watermarks");
            if (Files.exists(file)) {
                files++;
                marks.addAll(readFile(file, FILE_KINDS.get(fileKind)));
            }
        }
        if (files == 0) {
            throw new WatermarkFileException(
                    dir,
                    "no block/preattestation/attestation/endorsement _high_watermarks file: pass octez-signer's base"
                            + " dir, the one given to --base-dir (default ~/.tezos-signer)");
        }
        return ImportMark.highestPerBucket(marks);
    }

    /** The marks of one file, each raising every bucket in {@code kinds}. */
    static List<ImportMark> readFile(Path file, List<WatermarkKind> kinds) throws WatermarkFileException {
        JsonNode root = WatermarkJson.readObject(file);
        List<ImportMark> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> chains = root.fields(); chains.hasNext(); ) {
            Map.Entry<String, JsonNode> c = chains.next();
            String chain = WatermarkJson.chainId(file, c.getKey());
            JsonNode byKey = WatermarkJson.object(file, c.getValue(), chain);
            for (Iterator<Map.Entry<String, JsonNode>> keys = byKey.fields(); keys.hasNext(); ) {
                Map.Entry<String, JsonNode> k = keys.next();
                String where = chain + "." + WatermarkJson.abbreviate(k.getKey());
                String pkh = WatermarkJson.keyHash(file, k.getKey());
                JsonNode mark = WatermarkJson.object(file, k.getValue(), where);
                int level = WatermarkJson.level(file, mark, where);
                int round = WatermarkJson.round(file, mark, where);
                var hash = WatermarkJson.hash(file, mark, where);
                for (WatermarkKind kind : kinds) {
                    out.add(new ImportMark(pkh, chain, kind, level, round, hash, file.getFileName() + " " + where));
                }
            }
        }
        return out;
    }
}
