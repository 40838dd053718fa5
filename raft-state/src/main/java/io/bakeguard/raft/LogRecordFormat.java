package io.bakeguard.raft;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The canonical text form of a {@link LogRecord}: one line of tab-separated fields, with backslash,
 * tab, CR and LF escaped ({@code \\ \t \r \n}); absent optional fields are empty. The record hash is
 * SHA-256 over {@code "bakeguard-log-v1\t"} followed by the line without its last field (the hash),
 * which ends with the previous record's hash: so the hash chains the whole history, and equal
 * hashes at an index mean equal histories up to it.
 */
final class LogRecordFormat {
    static final String ZERO_HASH = "0".repeat(64);
    private static final String DOMAIN = "bakeguard-log-v1\t";
    private static final int FIELDS = 15;
    private static final byte[] DOMAIN_BYTES = DOMAIN.getBytes(StandardCharsets.UTF_8);
    /** One digest per thread: looking SHA-256 up for every record showed in the apply path's profile. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    });

    private LogRecordFormat() {}

    /** A chained record and its line (without the trailing LF), built from one encoding of the body. */
    record Chained(LogRecord record, String line) {}

    /**
     * Fills in the chain (the record's previous hash and its own hash) and gives the record's line with it, encoding
     * the body once (the apply path writes both).
     */
    static Chained chained(LogRecord draft, String previousHash) {
        String body = body(withHashes(draft, previousHash, ""));
        String hash = hashOfBody(body);
        return new Chained(withHashes(draft, previousHash, hash), body + '\t' + hash);
    }

    /** The line (without the trailing LF) for a chained record. */
    static String line(LogRecord r) {
        return body(r) + '\t' + r.hash();
    }

    /** Parses and verifies one line (without its LF). */
    static LogRecord parse(String line) throws IllegalArgumentException {
        List<String> f = split(line);
        if (f.size() != FIELDS) {
            throw new IllegalArgumentException("expected " + FIELDS + " fields, got " + f.size());
        }
        LogRecord r = new LogRecord(
                parseLong(f.get(0), "index"),
                parseLong(f.get(1), "term"),
                parseLong(f.get(2), "time"),
                nonEmpty(f.get(3), "proposer"),
                nonEmpty(f.get(4), "entry"),
                optional(f.get(5)),
                optional(f.get(6)),
                f.get(7),
                parseInt(f.get(8), "level"),
                parseInt(f.get(9), "round"),
                optional(f.get(10)),
                nonEmpty(f.get(11), "decision"),
                optional(f.get(12)),
                hash(f.get(13), "previous hash"),
                hash(f.get(14), "hash"));
        if (!hashOf(r).equals(r.hash())) {
            throw new IllegalArgumentException("hash mismatch at index " + r.index());
        }
        return r;
    }

    static String hashOf(LogRecord r) {
        return hashOfBody(body(r));
    }

    private static String hashOfBody(String body) {
        MessageDigest sha = SHA_256.get();
        sha.update(DOMAIN_BYTES);
        sha.update(body.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(sha.digest());
    }

    private static String body(LogRecord r) {
        StringBuilder b = new StringBuilder(256);
        b.append(r.index()).append('\t');
        b.append(r.term()).append('\t');
        b.append(r.timeMillis()).append('\t');
        escape(b, r.proposer()).append('\t');
        escape(b, r.entry()).append('\t');
        escape(b, r.keyHash().orElse("")).append('\t');
        escape(b, r.chainId().orElse("")).append('\t');
        escape(b, r.kind()).append('\t');
        b.append(r.level()).append('\t');
        b.append(r.round()).append('\t');
        escape(b, r.digestHex().orElse("")).append('\t');
        escape(b, r.decision()).append('\t');
        escape(b, r.reason().orElse("")).append('\t');
        escape(b, r.previousHash());
        return b.toString();
    }

    private static LogRecord withHashes(LogRecord d, String previousHash, String hash) {
        return new LogRecord(
                d.index(),
                d.term(),
                d.timeMillis(),
                d.proposer(),
                d.entry(),
                d.keyHash().filter(s -> !s.isEmpty()),
                d.chainId().filter(s -> !s.isEmpty()),
                d.kind(),
                d.level(),
                d.round(),
                d.digestHex().filter(s -> !s.isEmpty()),
                d.decision(),
                d.reason().filter(s -> !s.isEmpty()),
                previousHash,
                hash);
    }

    private static StringBuilder escape(StringBuilder b, String s) {
        if (!needsEscape(s)) {
            return b.append(s);
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                default -> b.append(c);
            }
        }
        return b;
    }

    private static boolean needsEscape(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' || c == '\t' || c == '\n' || c == '\r') {
                return true;
            }
        }
        return false;
    }

    private static List<String> split(String line) {
        List<String> out = new ArrayList<>(FIELDS);
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\t') {
                out.add(cur.toString());
                cur.setLength(0);
            } else if (c == '\\') {
                if (i + 1 >= line.length()) {
                    throw new IllegalArgumentException("dangling escape");
                }
                char n = line.charAt(++i);
                switch (n) {
                    case '\\' -> cur.append('\\');
                    case 't' -> cur.append('\t');
                    case 'n' -> cur.append('\n');
                    case 'r' -> cur.append('\r');
                    default -> throw new IllegalArgumentException("unknown escape \\" + n);
                }
            } else if (c == '\n' || c == '\r') {
                throw new IllegalArgumentException("raw line break inside a record");
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    private static long parseLong(String s, String what) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " is not a number: '" + s + "'");
        }
    }

    private static int parseInt(String s, String what) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " is not a 32-bit number: '" + s + "'");
        }
    }

    private static String nonEmpty(String s, String what) {
        if (s.isEmpty()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        return s;
    }

    private static Optional<String> optional(String s) {
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    private static String hash(String s, String what) {
        if (!TextFormat.HEX_64.matches(s)) {
            throw new IllegalArgumentException(what + " is not 64 lowercase hex characters");
        }
        return s;
    }
}
