package io.bakeguard.core.key;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The key files of an octez client base directory ({@code ~/.tezos-client}): {@code secret_keys} and
 * {@code public_keys}, each a JSON array of {@code {"name": alias, "value": ...}}. In {@code secret_keys}
 * the value is a secret key URI ({@code unencrypted:edsk...}, {@code encrypted:edesk...}, {@code
 * ledger://...}, {@code remote:...}). In {@code public_keys} it is either a locator string ({@code
 * unencrypted:edpk...}) or, as octez writes since it caches keys, {@code {"locator": ..., "key": ...}}.
 * A missing file reads as an empty list, as octez-client treats it.
 */
public final class OctezWallet {
    public static final String SECRET_KEYS_FILE = "secret_keys";
    public static final String PUBLIC_KEYS_FILE = "public_keys";
    /** Larger wallet files are refused: a real one holds a few entries. */
    private static final long MAX_FILE_BYTES = 16L * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A secret key entry; the URI may hold the secret itself, so {@link #toString()} hides it. */
    public record SecretKeyEntry(String alias, String uri) {
        public SecretKeyEntry {
            Objects.requireNonNull(alias, "alias");
            Objects.requireNonNull(uri, "uri");
        }

        /** The scheme of the URI ({@code unencrypted}, {@code encrypted}, {@code ledger}, ...). */
        public String scheme() {
            int colon = uri.indexOf(':');
            return colon < 0 ? "" : uri.substring(0, colon);
        }

        /** True for keys this process can hold itself ({@code unencrypted:} and {@code encrypted:}). */
        public boolean isSoftwareKey() {
            return switch (scheme()) {
                case "unencrypted", "encrypted", "aggregate_encrypted" -> true;
                default -> false;
            };
        }

        /** Parses the key; {@code password} is used for encrypted keys. */
        public SecretKey toSecretKey(Optional<char[]> password) throws KeyFormatException {
            if (!isSoftwareKey()) {
                throw new KeyFormatException("wallet key '" + alias + "' is a " + scheme()
                        + " key: only unencrypted: and encrypted: keys can be loaded");
            }
            try {
                return SecretKey.parse(uri, password);
            } catch (KeyFormatException e) {
                throw new KeyFormatException("wallet key '" + alias + "': " + e.getMessage(), e);
            }
        }

        @Override
        public String toString() {
            return "SecretKeyEntry[" + alias + ", " + scheme() + ":<hidden>]";
        }
    }

    /** A public key entry: its locator, and the key when octez cached it or the locator holds it. */
    public record PublicKeyEntry(String alias, String locator, Optional<PublicKey> key) {
        public PublicKeyEntry {
            Objects.requireNonNull(alias, "alias");
            Objects.requireNonNull(locator, "locator");
            Objects.requireNonNull(key, "key");
        }
    }

    private final List<SecretKeyEntry> secretKeys;
    private final List<PublicKeyEntry> publicKeys;

    private OctezWallet(List<SecretKeyEntry> secretKeys, List<PublicKeyEntry> publicKeys) {
        this.secretKeys = List.copyOf(secretKeys);
        this.publicKeys = List.copyOf(publicKeys);
    }

    /** Reads {@code secret_keys} and {@code public_keys} from an octez client base directory. */
    public static OctezWallet load(Path baseDir) throws KeyFormatException, IOException {
        return new OctezWallet(
                readSecretKeys(baseDir.resolve(SECRET_KEYS_FILE)), readPublicKeys(baseDir.resolve(PUBLIC_KEYS_FILE)));
    }

    public List<SecretKeyEntry> secretKeys() {
        return secretKeys;
    }

    public List<PublicKeyEntry> publicKeys() {
        return publicKeys;
    }

    public Optional<SecretKeyEntry> secretKey(String alias) {
        return secretKeys.stream().filter(e -> e.alias().equals(alias)).findFirst();
    }

    public Optional<PublicKeyEntry> publicKey(String alias) {
        return publicKeys.stream().filter(e -> e.alias().equals(alias)).findFirst();
    }

    /** Reads an octez {@code secret_keys} file. */
    public static List<SecretKeyEntry> readSecretKeys(Path file) throws KeyFormatException, IOException {
        List<SecretKeyEntry> out = new ArrayList<>();
        List<JsonNode> entries = readEntries(file);
        for (int i = 0; i < entries.size(); i++) {
            JsonNode e = entries.get(i);
            String alias = alias(file, i, e);
            JsonNode v = e.get("value");
            if (v == null || !v.isTextual() || v.asText().isBlank()) {
                throw new KeyFormatException(where(file, i) + "'value' of '" + alias + "' must be a secret key URI");
            }
            out.add(new SecretKeyEntry(alias, v.asText()));
        }
        return out;
    }

    /** Reads an octez {@code public_keys} file. */
    public static List<PublicKeyEntry> readPublicKeys(Path file) throws KeyFormatException, IOException {
        List<PublicKeyEntry> out = new ArrayList<>();
        List<JsonNode> entries = readEntries(file);
        for (int i = 0; i < entries.size(); i++) {
            JsonNode e = entries.get(i);
            String alias = alias(file, i, e);
            JsonNode v = e.get("value");
            String locator;
            Optional<PublicKey> key = Optional.empty();
            if (v != null && v.isTextual()) {
                locator = v.asText();
            } else if (v != null && v.isObject() && v.path("locator").isTextual()) {
                locator = v.get("locator").asText();
                JsonNode k = v.get("key");
                if (k != null && !k.isNull()) {
                    if (!k.isTextual()) {
                        throw new KeyFormatException(where(file, i) + "'key' of '" + alias + "' must be a string");
                    }
                    key = Optional.of(parsePublicKey(file, i, alias, k.asText()));
                }
            } else {
                throw new KeyFormatException(where(file, i) + "'value' of '" + alias
                        + "' must be a locator string or {\"locator\": ..., \"key\": ...}");
            }
            if (key.isEmpty() && locator.startsWith("unencrypted:")) {
                key = Optional.of(parsePublicKey(file, i, alias, locator.substring("unencrypted:".length())));
            }
            out.add(new PublicKeyEntry(alias, locator, key));
        }
        return out;
    }

    private static PublicKey parsePublicKey(Path file, int i, String alias, String text) throws KeyFormatException {
        try {
            return PublicKey.parse(text);
        } catch (KeyFormatException ex) {
            throw new KeyFormatException(where(file, i) + "public key of '" + alias + "': " + ex.getMessage(), ex);
        }
    }

    private static List<JsonNode> readEntries(Path file) throws KeyFormatException, IOException {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new KeyFormatException(file + " is larger than " + MAX_FILE_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (JacksonException e) {
            // The location only: the parser's message may quote file content, which can be a secret.
            throw new KeyFormatException(file + " is not valid JSON (line "
                    + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ")");
        }
        if (root == null || root.isMissingNode()) {
            return List.of();
        }
        if (!root.isArray()) {
            throw new KeyFormatException(file + " must hold a JSON array of {\"name\": ..., \"value\": ...}");
        }
        List<JsonNode> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode e = root.get(i);
            if (!e.isObject()) {
                throw new KeyFormatException(where(file, i) + "must be an object {\"name\": ..., \"value\": ...}");
            }
            String alias = alias(file, i, e);
            if (!seen.add(alias)) {
                throw new KeyFormatException(where(file, i) + "alias '" + alias + "' appears twice");
            }
            out.add(e);
        }
        return out;
    }

    private static String alias(Path file, int i, JsonNode e) throws KeyFormatException {
        JsonNode n = e.get("name");
        if (n == null || !n.isTextual() || n.asText().isEmpty()) {
            throw new KeyFormatException(where(file, i) + "'name' must be a non-empty string");
        }
        return n.asText();
    }

    private static String where(Path file, int i) {
        return file + ": entry " + i + ": ";
    }
}
