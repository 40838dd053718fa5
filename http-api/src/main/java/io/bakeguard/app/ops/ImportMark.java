package io.bakeguard.app.ops;

import io.bakeguard.core.watermark.BucketKey;
import io.bakeguard.core.watermark.WatermarkKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One high watermark read from another signer's files, to be sent to {@code /admin/watermarks/import}.
 *
 * @param keyHash base58 key hash
 * @param chainId base58 chain id
 * @param kind the Bakeguard bucket it raises
 * @param level level signed
 * @param round round signed (0 when the file has none)
 * @param digestHex lowercase hex blake2b-256 of the request signed there, when the file has it
 * @param source the file and entry it came from, for messages
 */
public record ImportMark(
        String keyHash,
        String chainId,
        WatermarkKind kind,
        int level,
        int round,
        Optional<String> digestHex,
        String source) {

    public ImportMark {
        Objects.requireNonNull(keyHash, "keyHash");
        Objects.requireNonNull(chainId, "chainId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(digestHex, "digestHex");
        Objects.requireNonNull(source, "source");
    }

    public BucketKey bucket() {
        return new BucketKey(keyHash, chainId, kind);
    }

    /** True when this mark's (level, round) is strictly above the other's. */
    public boolean above(ImportMark o) {
        return level > o.level || (level == o.level && round > o.round);
    }

    /**
     * One mark per bucket, the highest: two source entries can land in one bucket (Signatory's
     * {@code attestation} and {@code attestation_with_dal}, octez' pre-v23 {@code endorsement} file).
     * Sorted by bucket.
     */
    public static List<ImportMark> highestPerBucket(Collection<ImportMark> marks) {
        Map<BucketKey, ImportMark> best = new LinkedHashMap<>();
        for (ImportMark m : marks) {
            best.merge(m.bucket(), m, (a, b) -> b.above(a) ? b : a);
        }
        List<ImportMark> out = new ArrayList<>(best.values());
        out.sort((a, b) -> a.bucket().compareTo(b.bucket()));
        return out;
    }
}
