package io.bakeguard.safety.check;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a replica's watermark log files from its data directory, independently of raft-state's own reader: the
 * current {@code watermarks.log} and every {@code watermarks.log.before-*} that the replica set aside when it had
 * to restart its history (after installing a snapshot that did not link to its local log, design.md s.4). The
 * admin API serves only the current file, so after a long run with snapshot installs no replica may serve the
 * oldest records any more; the set-aside files still hold them.
 *
 * <p>Each file is one hash-chained history; this reader only splits and unescapes the fields (the checker verifies
 * the links). A line that does not parse ends that file's history (a torn last line after a crash).
 */
public final class WatermarkLogFiles {
    static final String CURRENT = "watermarks.log";
    private static final int FIELDS = 15;

    private WatermarkLogFiles() {}

    /**
     * The histories kept in {@code dataDir}, keyed {@code <replica>} for the current file and
     * {@code <replica>/before-<index>.<n>} for each set-aside one (its file name's suffix), oldest first.
     */
    public static Map<String, List<CommittedRecord>> read(String replica, Path dataDir) throws IOException {
        Map<String, List<CommittedRecord>> out = readSetAside(replica, dataDir);
        Path current = dataDir.resolve(CURRENT);
        if (Files.exists(current)) {
            out.put(replica, readFile(current));
        }
        return out;
    }

    /** Only the set-aside histories, keyed {@code <replica>/before-<index>.<n>}, oldest first. */
    public static Map<String, List<CommittedRecord>> readSetAside(String replica, Path dataDir) throws IOException {
        Map<String, List<CommittedRecord>> out = new LinkedHashMap<>();
        if (!Files.isDirectory(dataDir)) {
            return out;
        }
        // Ordered by the index in the name, then by the whole name: two files may name the same index (a
        // rotation and a later history restart), and each is a history of its own.
        TreeMap<String, Path> setAside = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dataDir, CURRENT + ".before-*")) {
            for (Path f : files) {
                String rest = f.getFileName().toString().substring((CURRENT + ".before-").length());
                int dot = rest.indexOf('.');
                long index = Long.parseLong(dot < 0 ? rest : rest.substring(0, dot));
                setAside.put(String.format("%020d/%s", index, rest), f);
            }
        }
        for (Map.Entry<String, Path> e : setAside.entrySet()) {
            String rest = e.getKey().substring(e.getKey().indexOf('/') + 1);
            out.put(replica + "/before-" + rest, readFile(e.getValue()));
        }
        return out;
    }

    /** The records of one file (its header line skipped), up to the first line that does not parse. */
    public static List<CommittedRecord> readFile(Path file) throws IOException {
        List<CommittedRecord> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("#")) {
                    continue;
                }
                try {
                    out.add(parse(line));
                } catch (IllegalArgumentException e) {
                    break;
                }
            }
        }
        return out;
    }

    static CommittedRecord parse(String line) {
        List<String> f = split(line);
        if (f.size() != FIELDS) {
            throw new IllegalArgumentException("expected " + FIELDS + " fields, got " + f.size());
        }
        return new CommittedRecord(
                Long.parseLong(f.get(0)),
                Long.parseLong(f.get(1)),
                Long.parseLong(f.get(2)),
                f.get(3),
                f.get(4),
                f.get(5),
                f.get(6),
                f.get(7),
                Integer.parseInt(f.get(8)),
                Integer.parseInt(f.get(9)),
                f.get(10),
                f.get(11),
                f.get(12),
                f.get(13),
                f.get(14));
    }

    private static List<String> split(String line) {
        List<String> out = new ArrayList<>(FIELDS);
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\t') {
                out.add(cur.toString());
                cur.setLength(0);
            } else if (c == '\\' && i + 1 < line.length()) {
                char n = line.charAt(++i);
                cur.append(
                        switch (n) {
                            case 't' -> '\t';
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case '\\' -> '\\';
                            default -> throw new IllegalArgumentException("unknown escape \\" + n);
                        });
            } else if (c == '\\') {
                throw new IllegalArgumentException("dangling escape");
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }
}
