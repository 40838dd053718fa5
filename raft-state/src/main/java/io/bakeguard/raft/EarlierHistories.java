package io.bakeguard.raft;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * The histories a replica set aside when it installed a snapshot that did not link to its local watermark log
 * (design.md s.4): files named {@code watermarks.log.before-<new start>.<nanos>} next to the current log, each a
 * whole log with its own header. They are never written again, so the current history plus these is the replica's
 * whole audit trail. Reads here are linear scans: this is the rare, operator-facing path, not the signing path.
 *
 * <p>A later history wins where two overlap: the records of an earlier one are served only below the start of the
 * next one, so a read returns each index at most once and in increasing order.
 */
final class EarlierHistories {
    private EarlierHistories() {}

    /**
     * The set-aside files next to {@code logFile} that hold records, oldest history first; files without a valid
     * header or without any record (a replica that joined with an empty log) are left out.
     */
    static List<WatermarkGuard.EarlierHistory> find(Path logFile) throws IOException {
        Path dir = logFile.toAbsolutePath().getParent();
        String prefix = logFile.getFileName() + ".before-";
        List<WatermarkGuard.EarlierHistory> found = new ArrayList<>();
        if (dir == null || !Files.isDirectory(dir)) {
            return found;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, prefix + "*")) {
            for (Path f : files) {
                try {
                    Optional<Long> start = startOf(f);
                    if (start.isPresent()) {
                        found.add(new WatermarkGuard.EarlierHistory(
                                f.getFileName().toString(), start.get(), Files.size(f)));
                    }
                } catch (NoSuchFileException e) {
                    // archived or deleted by the operator while we listed: it is no longer held
                }
            }
        } catch (NoSuchFileException e) {
            return found;
        }
        found.sort(Comparator.comparingLong(WatermarkGuard.EarlierHistory::startIndex)
                .thenComparing(WatermarkGuard.EarlierHistory::file));
        return found;
    }

    /** The start index in the header, or empty when there is no valid header or no record after it. */
    private static Optional<Long> startOf(Path file) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            Matcher m = header == null ? null : WatermarkLog.HEADER.matcher(header);
            if (m == null || !m.matches() || r.readLine() == null) {
                return Optional.empty();
            }
            return Optional.of(Long.parseLong(m.group(1)));
        }
    }

    /**
     * Records of the earlier histories matching {@code filter}, below {@code currentStart}, in index order: the
     * first ones after {@code filter.afterIndex()} or, when {@code filter.newest()}, the newest ones; at most
     * {@code limit}.
     */
    static List<LogRecord> read(Path logFile, LogFilter filter, long currentStart, int limit) throws IOException {
        List<WatermarkGuard.EarlierHistory> histories = find(logFile);
        Deque<LogRecord> found = new ArrayDeque<>();
        if (limit <= 0) {
            return List.of();
        }
        if (filter.newest()) {
            for (int i = histories.size() - 1; i >= 0 && found.size() < limit; i--) {
                long below = i + 1 < histories.size() ? histories.get(i + 1).startIndex() : currentStart;
                List<LogRecord> newest = scan(logFile, histories.get(i), filter, below, limit - found.size());
                for (int j = newest.size() - 1; j >= 0; j--) {
                    found.addFirst(newest.get(j));
                }
            }
        } else {
            for (int i = 0; i < histories.size() && found.size() < limit; i++) {
                long below = i + 1 < histories.size() ? histories.get(i + 1).startIndex() : currentStart;
                found.addAll(scan(logFile, histories.get(i), filter, below, limit - found.size()));
            }
        }
        return new ArrayList<>(found);
    }

    /** The hash of the record at {@code index} in the history that serves it, if any holds it. */
    static Optional<String> hashAt(Path logFile, long index, long currentStart) throws IOException {
        List<WatermarkGuard.EarlierHistory> histories = find(logFile);
        for (int i = histories.size() - 1; i >= 0; i--) {
            long below = i + 1 < histories.size() ? histories.get(i + 1).startIndex() : currentStart;
            WatermarkGuard.EarlierHistory h = histories.get(i);
            if (index >= h.startIndex() && index < below) {
                LogFilter one = new LogFilter(
                        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), index - 1, 1, false);
                List<LogRecord> r = scan(logFile, h, one, below, 1);
                return r.isEmpty() || r.get(0).index() != index
                        ? Optional.empty()
                        : Optional.of(r.get(0).hash());
            }
        }
        return Optional.empty();
    }

    /** What {@code filter} selects (at most {@code limit}) from one set-aside file's records below {@code below}. */
    private static List<LogRecord> scan(
            Path logFile, WatermarkGuard.EarlierHistory history, LogFilter filter, long below, int limit)
            throws IOException {
        Path file = logFile.toAbsolutePath().resolveSibling(history.file());
        WatermarkLog.Window window = new WatermarkLog.Window(filter, limit);
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("#")) {
                    continue;
                }
                LogRecord rec;
                try {
                    rec = LogRecordFormat.parse(line);
                } catch (IllegalArgumentException e) {
                    break; // a torn last line: the history ends before it
                }
                if (rec.index() >= below || !window.offer(rec)) {
                    break;
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        return window.records();
    }
}
