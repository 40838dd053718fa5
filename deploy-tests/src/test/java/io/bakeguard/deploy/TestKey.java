package io.bakeguard.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The published sandbox key bootstrap1 (copied from spec/vectors/keys.json into test-key.json). */
final class TestKey {
    static final String SECRET_KEY;
    static final String PUBLIC_KEY_HASH;

    static {
        try (InputStream in = TestKey.class.getResourceAsStream("/test-key.json")) {
            JsonNode k = DeployFiles.JSON.readTree(in).path("keys").get(0);
            SECRET_KEY = k.path("secret_key").asText();
            PUBLIC_KEY_HASH = k.path("public_key_hash").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private TestKey() {}
}
