package io.bakeguard.core.request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Reads the spec vectors copied into src/test/resources/vectors (their {@code source} fields kept). */
public final class Vectors {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Vectors() {}

    public static JsonNode load(String file) {
        try (InputStream in = Vectors.class.getResourceAsStream("/vectors/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /vectors/" + file);
            }
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    /** Every request of public_requests.json and every message of signatures.json, as bytes. */
    public static List<byte[]> allRequestBytes() {
        List<byte[]> out = new ArrayList<>();
        for (JsonNode v : load("public_requests.json").get("vectors")) {
            out.add(hex(v.get("hex").asText()));
        }
        for (JsonNode m : load("signatures.json").get("messages")) {
            out.add(hex(m.get("hex").asText()));
        }
        for (JsonNode s : load("hwm_scenarios.json").get("steps")) {
            out.add(hex(s.get("request_hex").asText()));
        }
        return out;
    }
}
