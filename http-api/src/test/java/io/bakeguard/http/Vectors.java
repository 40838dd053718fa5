package io.bakeguard.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The spec vectors copied into src/test/resources/vectors (their {@code source} fields kept). */
public final class Vectors {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Vectors() {}

    public static JsonNode load(String name) {
        try (InputStream in = Vectors.class.getResourceAsStream("/vectors/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /vectors/" + name);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A key of keys.json by id ({@code tz1_bootstrap1}, {@code tz2_octez_test}, ...). */
    public static JsonNode key(String id) {
        for (JsonNode k : load("keys.json").get("keys")) {
            if (k.get("id").asText().equals(id)) {
                return k;
            }
        }
        throw new IllegalArgumentException("no key " + id + " in keys.json");
    }

    /** The request hex of signatures.json by message id. */
    public static String message(String id) {
        for (JsonNode m : load("signatures.json").get("messages")) {
            if (m.get("id").asText().equals(id)) {
                return m.get("hex").asText();
            }
        }
        throw new IllegalArgumentException("no message " + id + " in signatures.json");
    }

    /** The expected signature of signatures.json for (key id, message id). */
    public static Optional<JsonNode> signature(String keyId, String messageId) {
        for (JsonNode s : load("signatures.json").get("signatures")) {
            if (s.get("key_id").asText().equals(keyId)
                    && s.get("message_id").asText().equals(messageId)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    public static List<JsonNode> all(String file, String array) {
        List<JsonNode> out = new ArrayList<>();
        load(file).get(array).forEach(out::add);
        return out;
    }
}
