package io.bakeguard.app.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.bakeguard.core.watermark.WatermarkKind;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads Signatory's file watermark backend (spec/tezos-remote-signer.md s.4.2): one file per chain,
 * {@code <base_dir>/watermark_v2/<chain_id>.json}, a map pkh -> request kind ->
 * {@code {"level": L, "round": R, "hash": "vh..."}}.
 */
public final class SignatoryWatermarkFiles {
    static final String DIR = "watermark_v2";

    /**
     * Signatory request kinds and our buckets. Signatory keys a tag-23 attestation apart
     * ({@code attestation_with_dal}); octez and Bakeguard share one bucket, so both raise it (the
     * highest wins). Older releases named 0x12/0x13 {@code preendorsement}/{@code endorsement}.
     */
    static final Map<String, WatermarkKind> KINDS = Map.of(
            "block", WatermarkKind.BLOCK,
            "preattestation", WatermarkKind.PREATTESTATION,
            "attestation", WatermarkKind.ATTESTATION,
            "attestation_with_dal", WatermarkKind.ATTESTATION,
            "preendorsement", WatermarkKind.PREATTESTATION,
            "endorsement", WatermarkKind.ATTESTATION);

    /** Bounds a wrong path (a home dir full of files). */
    static final int MAX_FILES = 10_000;

    private SignatoryWatermarkFiles() {}

    /**
     * Every mark under {@code dir}, which is Signatory's base dir or its {@code watermark_v2} dir,
     * one per bucket (the highest).
     */
    public static List<ImportMark> read(Path dir) throws WatermarkFileException {
        Path wm = Files.isDirectory(dir.resolve(DIR)) ? dir.resolve(DIR) : dir;
        if (!Files.isDirectory(wm)) {
            throw new WatermarkFileException(dir, "not a directory: pass Signatory's base_dir (it holds " + DIR + "/)");
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(wm, "*.json")) {
            for (Path p : ds) {
                if (files.size() >= MAX_FILES) {
                    throw new WatermarkFileException(
                            wm, "more than " + MAX_FILES + " .json files: is this Signatory's " + DIR + " dir?");
                }
                if (Files.isRegularFile(p)) {
                    files.add(p);
                }
            }
        } catch (IOException e) {
            throw new WatermarkFileException(wm, "cannot list (" + OpsException.oneLine(e.getMessage()) + ")", e);
        }
        if (files.isEmpty()) {
            throw new WatermarkFileException(
                    wm, "no <chain_id>.json file: pass Signatory's base_dir (it holds " + DIR + "/<chain_id>.json)");
        }
        files.sort(null);
        List<ImportMark> marks = new ArrayList<>();
        for (Path f : files) {
            marks.addAll(readFile(f));
        }
        return ImportMark.highestPerBucket(marks);
    }

    static List<ImportMark> readFile(Path file) throws WatermarkFileException {
        String name = file.getFileName().toString();
        String chain = WatermarkJson.chainId(file, name.substring(0, name.length() - ".json".length()));
        JsonNode root = WatermarkJson.readObject(file);
        List<ImportMark> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> keys = root.fields(); keys.hasNext(); ) {
            Map.Entry<String, JsonNode> k = keys.next();
            String pkh = WatermarkJson.keyHash(file, k.getKey());
            JsonNode byKind = WatermarkJson.object(file, k.getValue(), pkh);
            for (Iterator<Map.Entry<String, JsonNode>> kinds = byKind.fields(); kinds.hasNext(); ) {
                Map.Entry<String, JsonNode> e = kinds.next();
                String where = pkh + "." + WatermarkJson.abbreviate(e.getKey());
                WatermarkKind kind = Optional.ofNullable(KINDS.get(e.getKey()))
                        .orElseThrow(() -> new WatermarkFileException(
                                file, where + ": unknown request kind (expected one of " + KINDS.keySet() + ")"));
                JsonNode mark = WatermarkJson.object(file, e.getValue(), where);
                out.add(new ImportMark(
                        pkh,
                        chain,
                        kind,
                        WatermarkJson.level(file, mark, where),
                        WatermarkJson.round(file, mark, where),
                        WatermarkJson.hash(file, mark, where),
                        name + " " + where));
            }
        }
        return out;
    }
}
