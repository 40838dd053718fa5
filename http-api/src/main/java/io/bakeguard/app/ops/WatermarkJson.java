package io.bakeguard.app.ops;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.bakeguard.core.crypto.Base58Check;
import io.bakeguard.core.crypto.Base58Exception;
import io.bakeguard.core.crypto.Prefix;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Strict reading of the fields both signers' watermark files share. */
final class WatermarkJson {
    /** Far above any real file (one entry per key and chain); bounds what a wrong path makes us read. */
    static final long MAX_FILE_BYTES = 64L * 1024 * 1024;

    private static final Pattern HEX64 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private WatermarkJson() {}

    static JsonNode readObject(Path file) throws WatermarkFileException {
        try {
            if (!Files.isRegularFile(file)) {
                throw new WatermarkFileException(file, "not a regular file");
            }
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new WatermarkFileException(file, "larger than " + MAX_FILE_BYTES + " bytes");
            }
            JsonNode n;
            try (InputStream in = Files.newInputStream(file)) {
                n = JSON.readTree(in);
            }
            if (n == null || n.isMissingNode()) {
                throw new WatermarkFileException(file, "empty file, expected a JSON object");
            }
            if (!n.isObject()) {
                throw new WatermarkFileException(file, "expected a JSON object, got " + type(n));
            }
            return n;
        } catch (IOException e) {
            throw new WatermarkFileException(file, "not valid JSON (" + OpsException.oneLine(e.getMessage()) + ")", e);
        }
    }

    static JsonNode object(Path file, JsonNode n, String where) throws WatermarkFileException {
        if (!n.isObject()) {
            throw new WatermarkFileException(file, where + ": expected a JSON object, got " + type(n));
        }
        return n;
    }

    static String keyHash(Path file, String text) throws WatermarkFileException {
        if (!TezosIds.isKeyHash(text)) {
            throw new WatermarkFileException(file, "'" + abbreviate(text) + "' is not a tz1/tz2/tz3/tz4 key hash");
        }
        return text;
    }

    static String chainId(Path file, String text) throws WatermarkFileException {
        if (!TezosIds.isChainId(text)) {
            throw new WatermarkFileException(file, "'" + abbreviate(text) + "' is not a base58 chain id");
        }
        return text;
    }

    /** A required non-negative int32 field. */
    static int level(Path file, JsonNode mark, String where) throws WatermarkFileException {
        JsonNode n = mark.get("level");
        if (n == null || n.isNull()) {
            throw new WatermarkFileException(file, where + ": missing \"level\"");
        }
        return int32(file, n, where + ".level");
    }

    /** An optional non-negative int32 field; absent or null is 0 (Emmy marks have no round). */
    static int round(Path file, JsonNode mark, String where) throws WatermarkFileException {
        JsonNode n = mark.get("round");
        if (n == null || n.isNull()) {
            return 0;
        }
        return int32(file, n, where + ".round");
    }

    private static int int32(Path file, JsonNode n, String where) throws WatermarkFileException {
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new WatermarkFileException(
                    file, where + ": expected a 32-bit integer, got " + abbreviate(n.toString()));
        }
        int v = n.intValue();
        if (v < 0) {
            throw new WatermarkFileException(file, where + ": negative value " + v);
        }
        return v;
    }

    /**
     * An optional 32-byte hash: 64 hex characters (octez) or a base58check value with a 32-byte
     * payload such as {@code vh...} (Signatory). Returned as lowercase hex.
     */
    static Optional<String> hash(Path file, JsonNode mark, String where) throws WatermarkFileException {
        JsonNode n = mark.get("hash");
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isTextual()) {
            throw new WatermarkFileException(file, where + ".hash: expected a string, got " + type(n));
        }
        String t = n.asText();
        if (HEX64.matcher(t).matches()) {
            return Optional.of(t.toLowerCase(Locale.ROOT));
        }
        try {
            return Optional.of(HexFormat.of().formatHex(Base58Check.decode(t, Prefix.BLOCK_PAYLOAD_HASH)));
        } catch (Base58Exception e) {
            try {
                Base58Check.Decoded d = Base58Check.decodeAny(t);
                if (d.payload().length == 32) {
                    return Optional.of(HexFormat.of().formatHex(d.payload()));
                }
            } catch (Base58Exception ignored) {
                // reported below
            }
            throw new WatermarkFileException(
                    file,
                    where + ".hash: '" + abbreviate(t) + "' is neither 64 hex characters nor a base58 32-byte hash");
        }
    }

    static String type(JsonNode n) {
        return n.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
