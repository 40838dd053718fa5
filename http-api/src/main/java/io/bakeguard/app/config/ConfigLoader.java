package io.bakeguard.app.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Loads {@code bakeguard.yaml} into {@link BakeguardConfig}: YAML, then environment overrides
 * ({@code BAKEGUARD_<PATH>}, e.g. {@code BAKEGUARD_SIGNER_REQUEST_TIMEOUT=500ms}), then relative
 * paths resolved against the file's directory, then binding (unknown keys are errors) and
 * {@link ConfigValidator validation}. Every error names the key and the file.
 */
public final class ConfigLoader {
    static final String ENV_PREFIX = "BAKEGUARD_";

    private static final ObjectMapper YAML = JsonMapper.builder(new YAMLFactory())
            .addModule(new Jdk8Module())
            .addModule(new SimpleModule().addDeserializer(Duration.class, new DurationDeserializer()))
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private ConfigLoader() {}

    /** Reads {@code file} with overrides from the process environment. */
    public static BakeguardConfig load(Path file) throws ConfigException {
        return load(file, System.getenv());
    }

    public static BakeguardConfig load(Path file, Map<String, String> env) throws ConfigException {
        String name = file.toString();
        JsonNode root;
        try {
            root = YAML.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + name + " does not exist; pass an existing file to --config");
        } catch (JsonProcessingException e) {
            throw new ConfigException("cannot parse " + name + " as YAML: " + e.getOriginalMessage() + location(e));
        } catch (IOException e) {
            throw new ConfigException("cannot read " + name + ": " + e.getMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            root = JsonNodeFactory.instance.objectNode();
        }
        if (!root.isObject()) {
            throw new ConfigException(name + " must hold a YAML mapping (node:, cluster:, signer:, ...)");
        }
        ObjectNode tree = (ObjectNode) root;
        applyEnvironment(tree, env, name);
        Path base = file.toAbsolutePath().getParent();
        resolvePaths(tree, BakeguardConfig.class, base);
        BakeguardConfig config;
        try {
            config = YAML.treeToValue(tree, BakeguardConfig.class);
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException("unknown key '" + path(e) + "' in " + name + "; known keys at that place: "
                    + e.getKnownPropertyIds());
        } catch (JsonMappingException e) {
            throw new ConfigException("bad value for '" + path(e) + "' in " + name + ": " + cause(e));
        } catch (JsonProcessingException e) {
            throw new ConfigException("cannot read " + name + ": " + e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("cannot read " + name + ": " + e.getMessage());
        }
        ConfigValidator.validate(config, name);
        return config;
    }

    /** The environment variable that overrides each scalar or list key, e.g. {@code BAKEGUARD_NODE_ID -> node.id}. */
    public static Map<String, String> environmentKeys() {
        Map<String, String> out = new TreeMap<>();
        leaves().forEach((env, leaf) -> out.put(env, leaf.dotted()));
        return out;
    }

    private record Leaf(String dotted, Class<?> type) {}

    private static Map<String, Leaf> leaves() {
        Map<String, Leaf> out = new TreeMap<>();
        collectLeaves(BakeguardConfig.class, "", out);
        return out;
    }

    private static void collectLeaves(Class<?> record, String prefix, Map<String, Leaf> out) {
        for (RecordComponent c : record.getRecordComponents()) {
            String key = prefix + jsonName(c);
            Class<?> nested = nestedRecord(c.getGenericType());
            if (nested != null && !List.class.isAssignableFrom(c.getType())) {
                collectLeaves(nested, key + ".", out);
            } else {
                String env =
                        ENV_PREFIX + key.replace('.', '_').replace('-', '_').toUpperCase(java.util.Locale.ROOT);
                out.put(env, new Leaf(key, c.getType()));
            }
        }
    }

    private static void applyEnvironment(ObjectNode tree, Map<String, String> env, String name) throws ConfigException {
        for (Map.Entry<String, Leaf> e : leaves().entrySet()) {
            String value = env.get(e.getKey());
            if (value == null) {
                continue;
            }
            String dotted = e.getValue().dotted();
            Class<?> type = e.getValue().type();
            String[] parts = dotted.split("\\.");
            ObjectNode at = tree;
            for (int i = 0; i < parts.length - 1; i++) {
                JsonNode child = at.get(parts[i]);
                if (child == null || !child.isObject()) {
                    child = at.putObject(parts[i]);
                }
                at = (ObjectNode) child;
            }
            String leaf = parts[parts.length - 1];
            if (List.class.isAssignableFrom(type)) {
                at.set(leaf, parseListValue(e.getKey(), value, name));
            } else if (type == Boolean.class && (value.equals("true") || value.equals("false"))) {
                at.put(leaf, Boolean.parseBoolean(value));
            } else if (type == Integer.class && value.matches("-?\\d{1,9}")) {
                at.put(leaf, Integer.parseInt(value));
            } else {
                at.set(leaf, TextNode.valueOf(value));
            }
        }
    }

    /** A list from the environment: YAML flow syntax ({@code [a, b]}, {@code [{id: n1, raft: ...}]}) or {@code a,b}. */
    private static JsonNode parseListValue(String var, String value, String name) throws ConfigException {
        String v = value.trim();
        if (v.startsWith("[")) {
            try {
                JsonNode n = YAML.readTree(v);
                if (n != null && n.isArray()) {
                    return n;
                }
            } catch (JsonProcessingException e) {
                throw new ConfigException("cannot parse environment variable " + var + " (overriding " + name + "): "
                        + e.getOriginalMessage());
            }
        }
        ArrayNode arr = JsonNodeFactory.instance.arrayNode();
        for (String s : v.split(",")) {
            if (!s.isBlank()) {
                arr.add(s.trim());
            }
        }
        return arr;
    }

    private static void resolvePaths(JsonNode node, Class<?> record, Path base) {
        if (!(node instanceof ObjectNode obj)) {
            return;
        }
        for (RecordComponent c : record.getRecordComponents()) {
            String key = jsonName(c);
            JsonNode child = obj.get(key);
            if (child == null) {
                continue;
            }
            Type t = c.getGenericType();
            if (isPathType(t) && child.isTextual()) {
                Path p = Path.of(child.asText());
                obj.put(
                        key,
                        p.isAbsolute()
                                ? p.toString()
                                : base.resolve(p).normalize().toString());
                continue;
            }
            Class<?> nested = nestedRecord(t);
            if (nested == null) {
                continue;
            }
            if (child.isArray()) {
                for (Iterator<JsonNode> it = child.elements(); it.hasNext(); ) {
                    resolvePaths(it.next(), nested, base);
                }
            } else {
                resolvePaths(child, nested, base);
            }
        }
    }

    private static boolean isPathType(Type t) {
        if (t == Path.class) {
            return true;
        }
        return t instanceof ParameterizedType p
                && p.getActualTypeArguments().length == 1
                && p.getActualTypeArguments()[0] == Path.class;
    }

    /** The record class held by a component (directly, in an Optional or in a List), or null. */
    private static Class<?> nestedRecord(Type t) {
        if (t instanceof Class<?> k && k.isRecord()) {
            return k;
        }
        if (t instanceof ParameterizedType p && p.getActualTypeArguments().length == 1) {
            Type arg = p.getActualTypeArguments()[0];
            if (arg instanceof Class<?> k && k.isRecord()) {
                return k;
            }
        }
        return null;
    }

    private static String jsonName(RecordComponent c) {
        JsonProperty p = c.getAccessor().getAnnotation(JsonProperty.class);
        if (p == null) {
            p = c.getAnnotation(JsonProperty.class);
        }
        return p != null && !p.value().isEmpty() ? p.value() : c.getName();
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.length() == 0 ? "(top level)" : sb.toString();
    }

    private static String cause(JsonMappingException e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        if (t instanceof IllegalArgumentException) {
            return t.getMessage();
        }
        String m = e.getOriginalMessage();
        int nl = m.indexOf('\n');
        return nl > 0 ? m.substring(0, nl) : m;
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null
                ? ""
                : " (line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr() + ")";
    }

    /** Reads durations in the config's own form; a bare number is refused (is it seconds or milliseconds?). */
    private static final class DurationDeserializer extends StdScalarDeserializer<Duration> {
        private static final long serialVersionUID = 1L;

        DurationDeserializer() {
            super(Duration.class);
        }

        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.hasToken(com.fasterxml.jackson.core.JsonToken.VALUE_STRING)) {
                String seen = p.getText();
                throw JsonMappingException.from(
                        p, "expected a duration such as 2s or 500ms, got '" + seen + "' (add a unit)");
            }
            try {
                return Durations.parse(p.getText());
            } catch (IllegalArgumentException e) {
                throw JsonMappingException.from(p, e.getMessage());
            }
        }
    }

    /** Lists every environment variable name; used by {@code --help} text and tests. */
    static List<String> environmentVariables() {
        return new ArrayList<>(environmentKeys().keySet());
    }
}
