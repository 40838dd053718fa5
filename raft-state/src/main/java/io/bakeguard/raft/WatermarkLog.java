package io.bakeguard.raft;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable, hash-chained watermark log of one replica (design.md s.4): a text file whose first
 * line is a header naming where this replica's history starts and the chain hash before it,
 * followed by one {@link LogRecordFormat} line per applied entry.
 *
 * <p>Appends go to the OS on every record (one {@code write}); the file is forced to disk before a
 * snapshot is registered and on close. After a crash the file may be behind the applied index
 * (Ratis replays the entries after the last snapshot, and {@link #append} writes what is missing) or
 * ahead of it (the replayed entries are the same committed entries, so their records are skipped).
 * A torn or unverifiable last line is cut off on open; damage before the last line is an error
 * that stops the replica (the operator's repair path: spec/ratis.md s.1.12).
 */
final class WatermarkLog implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(WatermarkLog.class);
    private static final String HEADER_PREFIX = "#bakeguard-watermark-log\tv1\t";
    private static final Pattern HEADER =
            Pattern.compile("#bakeguard-watermark-log\tv1\tstart=(\\d+)\tprev=([0-9a-f]{64})");
    /** One sampled (index, offset) every this many records, to start reads near an index. */
    private static final int SAMPLE_EVERY = 256;

    private final Path file;
    private final int tailCapacity;
    private final ReadWriteLock swap = new ReentrantReadWriteLock();

    private long startIndex;
    private String startPreviousHash;
    private long lastIndex;
    private String lastHash;
    private long records;
    private final Deque<LogRecord> tail = new ArrayDeque<>();
    private final TreeMap<Long, Long> sampledOffsets = new TreeMap<>();
    private FileChannel out;
    private volatile long length;

    private WatermarkLog(Path file, int tailCapacity) {
        this.file = file;
        this.tailCapacity = tailCapacity;
    }

    /**
     * Opens (or creates, with history starting at index 1) the log, verifying every record and the
     * chain.
     */
    static WatermarkLog open(Path file, int tailCapacity) throws IOException {
        WatermarkLog log = new WatermarkLog(file, tailCapacity);
        if (!Files.exists(file)) {
            writeFresh(file, 1, LogRecordFormat.ZERO_HASH, List.of());
        }
        log.load();
        return log;
    }

    /** Index of the first record this replica holds (or would hold): where its history starts. */
    synchronized long startIndex() {
        return startIndex;
    }

    synchronized long lastIndex() {
        return lastIndex;
    }

    /** Hash of the last record, or the chain hash before the history when there is none. */
    synchronized String lastHash() {
        return lastHash;
    }

    synchronized long size() {
        return records;
    }

    /** The newest records held in memory (at most the tail capacity), oldest first. */
    synchronized List<LogRecord> tail() {
        return new ArrayList<>(tail);
    }

    /**
     * Chains and appends the record for an applied entry; a record whose index this replica already
     * holds (a replayed entry after a restart) is not written again.
     *
     * @return the chained record, or empty when it was already held
     */
    synchronized Optional<LogRecord> append(LogRecord draft) throws IOException {
        if (draft.index() <= lastIndex) {
            return Optional.empty();
        }
        LogRecord r = LogRecordFormat.chain(draft, lastHash);
        write(r);
        return Optional.of(r);
    }

    /** Forces every appended record to disk. */
    synchronized void force() throws IOException {
        out.force(true);
    }

    /**
     * Reconciles this log with a snapshot's chain state: keeps the local history when it already
     * covers the snapshot, extends it with the snapshot's tail when the tail links to it, and
     * otherwise starts a new history at the tail (the old file is kept aside, renamed).
     *
     * @param snapshotIndex last index covered by the snapshot
     * @param chainHead hash of the last record at or below {@code snapshotIndex}
     * @param snapshotTail the newest records at or below {@code snapshotIndex}, oldest first
     */
    void reconcile(long snapshotIndex, String chainHead, List<LogRecord> snapshotTail) throws IOException {
        swap.writeLock().lock();
        try {
            synchronized (this) {
                reconcileLocked(snapshotIndex, chainHead, snapshotTail);
            }
        } finally {
            swap.writeLock().unlock();
        }
    }

    private void reconcileLocked(long snapshotIndex, String chainHead, List<LogRecord> snapshotTail)
            throws IOException {
        if (lastIndex >= snapshotIndex) {
            long headIndex = snapshotTail.isEmpty()
                    ? -1
                    : snapshotTail.get(snapshotTail.size() - 1).index();
            Optional<String> local = headIndex < 0 ? Optional.empty() : hashAtLocked(headIndex);
            if (headIndex < 0 || local.map(chainHead::equals).orElse(false)) {
                return;
            }
            LOG.warn(
                    "watermark log at {} disagrees with the snapshot at index {}: starting a new history",
                    file,
                    snapshotIndex);
        } else {
            List<LogRecord> missing = new ArrayList<>();
            for (LogRecord r : snapshotTail) {
                if (r.index() > lastIndex) {
                    missing.add(r);
                }
            }
            String linkFrom = missing.isEmpty() ? chainHead : missing.get(0).previousHash();
            if (linkFrom.equals(lastHash)) {
                for (LogRecord r : missing) {
                    write(r);
                }
                out.force(true);
                return;
            }
            LOG.info(
                    "watermark log at {} ends at index {} and the snapshot at {} does not link to it:"
                            + " history restarts at the snapshot's tail",
                    file,
                    lastIndex,
                    snapshotIndex);
        }
        long newStart =
                snapshotTail.isEmpty() ? snapshotIndex + 1 : snapshotTail.get(0).index();
        String newPrev =
                snapshotTail.isEmpty() ? chainHead : snapshotTail.get(0).previousHash();
        out.close();
        Path aside = file.resolveSibling(file.getFileName() + ".before-" + newStart + "." + System.nanoTime());
        Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
        writeFresh(file, newStart, newPrev, snapshotTail);
        load();
    }

    /** Records matching {@code filter}, in index order. */
    List<LogRecord> read(LogFilter filter) throws IOException {
        if (filter.limit() <= 0) {
            return List.of();
        }
        Deque<LogRecord> found = new ArrayDeque<>();
        scan(filter.afterIndex() + 1, r -> {
            if (r.index() <= filter.afterIndex() || !matches(filter, r)) {
                return true;
            }
            found.addLast(r);
            if (found.size() > filter.limit()) {
                if (!filter.newest()) {
                    found.removeLast();
                    return false;
                }
                found.removeFirst();
            }
            return true;
        });
        return new ArrayList<>(found);
    }

    /** The hash of the record at {@code index}, if this replica holds it. */
    Optional<String> hashAt(long index) throws IOException {
        swap.readLock().lock();
        try {
            return hashAtUnlocked(index);
        } finally {
            swap.readLock().unlock();
        }
    }

    private Optional<String> hashAtLocked(long index) throws IOException {
        return hashAtUnlocked(index);
    }

    private Optional<String> hashAtUnlocked(long index) throws IOException {
        String[] hash = new String[1];
        scanUnlocked(index, r -> {
            if (r.index() == index) {
                hash[0] = r.hash();
            }
            return r.index() < index;
        });
        return Optional.ofNullable(hash[0]);
    }

    private static boolean matches(LogFilter f, LogRecord r) {
        if (f.keyHash().isPresent() && !f.keyHash().equals(r.keyHash())) {
            return false;
        }
        if (f.kind().isPresent() && !f.kind().get().equals(r.kind())) {
            return false;
        }
        if (f.minLevel().isPresent() && r.level() < f.minLevel().get()) {
            return false;
        }
        return f.maxLevel().isEmpty() || r.level() <= f.maxLevel().get();
    }

    private interface Visitor {
        /** @return false to stop */
        boolean visit(LogRecord r);
    }

    private void scan(long fromIndex, Visitor v) throws IOException {
        swap.readLock().lock();
        try {
            scanUnlocked(fromIndex, v);
        } finally {
            swap.readLock().unlock();
        }
    }

    private void scanUnlocked(long fromIndex, Visitor v) throws IOException {
        long start;
        synchronized (this) {
            Map.Entry<Long, Long> e = sampledOffsets.floorEntry(fromIndex);
            start = e == null ? headerLength() : e.getValue();
        }
        long end = length;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.position(start);
            InputStream in = new java.io.BufferedInputStream(Channels.newInputStream(ch), 64 * 1024);
            LineReader lines = new LineReader(in, start);
            String line;
            while (lines.position() < end && (line = lines.next()) != null) {
                if (!v.visit(LogRecordFormat.parse(line))) {
                    return;
                }
            }
        }
    }

    private long headerLength;

    private synchronized long headerLength() {
        return headerLength;
    }

    // ------------------------------------------------------------------ file handling

    private void write(LogRecord r) throws IOException {
        byte[] bytes = (LogRecordFormat.line(r) + "\n").getBytes(StandardCharsets.UTF_8);
        long offset = length;
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
            out.write(buf);
        }
        remember(r, offset);
        length = offset + bytes.length;
    }

    private void remember(LogRecord r, long offset) {
        if (records % SAMPLE_EVERY == 0) {
            sampledOffsets.put(r.index(), offset);
        }
        records++;
        lastIndex = r.index();
        lastHash = r.hash();
        tail.addLast(r);
        while (tail.size() > tailCapacity) {
            tail.removeFirst();
        }
    }

    private static void writeFresh(Path file, long start, String previousHash, List<LogRecord> records)
            throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        StringBuilder b = new StringBuilder();
        b.append(HEADER_PREFIX)
                .append("start=")
                .append(start)
                .append("\tprev=")
                .append(previousHash)
                .append('\n');
        for (LogRecord r : records) {
            b.append(LogRecordFormat.line(r)).append('\n');
        }
        try (FileChannel ch = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(b.toString().getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(file.toAbsolutePath().getParent());
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory for reading; the rename is still atomic there.
            LOG.debug("could not force directory {}: {}", dir, e.toString());
        }
    }

    /** Reads and verifies the whole file, cutting off a torn or unverifiable last line. */
    private void load() throws IOException {
        tail.clear();
        sampledOffsets.clear();
        records = 0;
        long validEnd;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            LineReader lines =
                    new LineReader(new java.io.BufferedInputStream(Channels.newInputStream(ch), 64 * 1024), 0);
            String header = lines.next();
            Matcher m = header == null ? null : HEADER.matcher(header);
            if (m == null || !m.matches()) {
                throw new IOException("watermark log " + file + " has no valid header line; it is not a Bakeguard"
                        + " watermark log or it is damaged");
            }
            startIndex = Long.parseLong(m.group(1));
            startPreviousHash = m.group(2);
            headerLength = lines.position();
            lastIndex = startIndex - 1;
            lastHash = startPreviousHash;
            validEnd = lines.position();
            int lineNo = 1;
            while (true) {
                long offset = lines.position();
                String line = lines.next();
                if (line == null) {
                    break;
                }
                lineNo++;
                boolean complete = lines.lastLineTerminated();
                String problem = null;
                LogRecord r = null;
                if (!complete) {
                    problem = "torn last line";
                } else {
                    try {
                        r = LogRecordFormat.parse(line);
                        if (!r.previousHash().equals(lastHash)) {
                            problem = "chain broken (previous hash does not match)";
                        } else if (r.index() <= lastIndex) {
                            problem = "index " + r.index() + " not above " + lastIndex;
                        }
                    } catch (IllegalArgumentException e) {
                        problem = e.getMessage();
                    }
                }
                if (problem != null) {
                    if (lines.next() != null) {
                        throw new IOException("watermark log " + file + " is damaged at line " + lineNo + " ("
                                + problem + ") with records after it; move the file aside to let this replica"
                                + " rebuild its history from a snapshot, or restore it from a backup");
                    }
                    LOG.warn(
                            "watermark log {}: cutting off the last line {} ({}), it is rebuilt from the Raft log",
                            file,
                            lineNo,
                            problem);
                    break;
                }
                remember(r, offset);
                validEnd = lines.position();
            }
        }
        out = FileChannel.open(file, StandardOpenOption.WRITE);
        if (out.size() > validEnd) {
            out.truncate(validEnd);
            out.force(true);
        }
        out.position(validEnd);
        length = validEnd;
    }

    @Override
    public synchronized void close() throws IOException {
        if (out != null && out.isOpen()) {
            out.force(true);
            out.close();
        }
    }

    /** Splits a byte stream into LF-terminated UTF-8 lines, tracking byte offsets. */
    private static final class LineReader {
        private final InputStream in;
        private long position;
        private boolean terminated;
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream(256);

        LineReader(InputStream in, long position) {
            this.in = in;
            this.position = position;
        }

        long position() {
            return position;
        }

        boolean lastLineTerminated() {
            return terminated;
        }

        String next() throws IOException {
            buf.reset();
            terminated = false;
            int b;
            while ((b = in.read()) >= 0) {
                position++;
                if (b == '\n') {
                    terminated = true;
                    return buf.toString(StandardCharsets.UTF_8);
                }
                buf.write(b);
            }
            return buf.size() == 0 ? null : buf.toString(StandardCharsets.UTF_8);
        }
    }
}
