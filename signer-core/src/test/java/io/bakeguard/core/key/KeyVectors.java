package io.bakeguard.core.key;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Reads the copied spec vectors ({@code src/test/resources/vectors}, from spec/vectors). */
public final class KeyVectors {
    private static final ObjectMapper JSON = new ObjectMapper();

    private KeyVectors() {}

    public static JsonNode load(String name) {
        try (InputStream in = KeyVectors.class.getResourceAsStream("/vectors/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /vectors/" + name);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        if (out.isEmpty()) {
            throw new IllegalStateException("vector list is empty");
        }
        return out;
    }

    public static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    public static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /** The entry of keys.json with this id. */
    public static JsonNode key(String id) {
        for (JsonNode k : load("keys.json").get("keys")) {
            if (k.get("id").asText().equals(id)) {
                return k;
            }
        }
        throw new IllegalArgumentException("no key " + id + " in keys.json");
    }

    public static Curve curve(String vectorName) {
        return switch (vectorName) {
            case "ed25519" -> Curve.ED25519;
            case "secp256k1" -> Curve.SECP256K1;
            case "p256" -> Curve.P256;
            case "bls12_381" -> Curve.BLS12_381;
            default -> throw new IllegalArgumentException(vectorName);
        };
    }
}
