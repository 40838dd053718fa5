package io.bakeguard.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The repository's deploy/ files, read as YAML or JSON trees. */
final class DeployFiles {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();

    private DeployFiles() {}

    /** {@code deploy/} (system property {@code deploy.dir}, set by the pom; {@code ../deploy} otherwise). */
    static Path dir() {
        Path d = Path.of(System.getProperty("deploy.dir", "../deploy"))
                .toAbsolutePath()
                .normalize();
        if (!Files.isDirectory(d)) {
            throw new AssertionError("deploy directory " + d + " does not exist (run from deploy-tests/)");
        }
        return d;
    }

    static Path file(String relative) {
        Path f = dir().resolve(relative);
        if (!Files.isRegularFile(f)) {
            throw new AssertionError("expected the file deploy/" + relative);
        }
        return f;
    }

    static String text(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode yaml(Path f) {
        try {
            return YAML.readTree(f.toFile());
        } catch (IOException e) {
            throw new AssertionError("deploy file " + f + " is not valid YAML: " + e.getMessage(), e);
        }
    }

    static JsonNode yaml(String text) {
        try {
            return YAML.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not valid YAML: " + e.getMessage() + "\n" + text, e);
        }
    }

    /** Every non-empty document of a multi-document YAML file. */
    static List<JsonNode> documents(Path f) {
        List<JsonNode> out = new ArrayList<>();
        try (MappingIterator<JsonNode> it =
                YAML.readerFor(JsonNode.class).readValues(YAML.getFactory().createParser(f.toFile()))) {
            while (it.hasNextValue()) {
                JsonNode n = it.nextValue();
                if (n != null && !n.isNull() && !n.isMissingNode() && n.size() > 0) {
                    out.add(n);
                }
            }
        } catch (IOException e) {
            throw new AssertionError("deploy file " + f + " is not valid YAML: " + e.getMessage(), e);
        }
        return out;
    }

    static JsonNode json(Path f) {
        try {
            return JSON.readTree(f.toFile());
        } catch (IOException e) {
            throw new AssertionError("deploy file " + f + " is not valid JSON: " + e.getMessage(), e);
        }
    }
}
