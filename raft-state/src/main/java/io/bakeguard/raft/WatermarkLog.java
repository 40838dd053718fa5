package io.bakeguard.raft;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
 *
 * <p>Opening does not hash the whole history again when a {@link LogCheckpoint} written at the last force
 * matches the file: then only the in-memory tail and what follows the checkpoint are verified before the
 * replica starts, so start-up time does not grow with the history, and the older records are verified by a
 * background thread. Damage found there is logged as an error and reported by {@link #damage()}; the checkpoint
 * is deleted, so the next open verifies everything and refuses to start.
 */
final class WatermarkLog implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(WatermarkLog.class);
    private static final String HEADER_PREFIX = "#bakeguard-watermark-log\tv1\t";
    static final Pattern HEADER = Pattern.compile("#bakeguard-watermark-log\tv1\tstart=(\\d+)\tprev=([0-9a-f]{64})");
    /** One sampled (index, offset) every this many records, to start reads near an index. */
    private static final int SAMPLE_EVERY = 256;

    private final Path file;
    private final Path checkpointFile;
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
        this.checkpointFile = LogCheckpoint.fileFor(file);
        this.tailCapacity = tailCapacity;
    }

    /**
     * Opens (or creates, with history starting at index 1) the log, verifying every record and the
     * chain.
     */
    static WatermarkLog open(Path file, int tailCapacity) throws IOException {
        WatermarkLog log = new WatermarkLog(file, tailCapacity);
        Path pending = pendingFile(file);
        if (!Files.exists(file) && Files.exists(pending)) {
            // A new history was written and the old file set aside, then the process stopped before the new one
            // took the file's name: finish that step (the pending file is complete, it was forced before).
            LOG.info("watermark log {}: completing the start of a new history interrupted by a stop", file);
            install(pending, file);
        } else if (!Files.exists(file)) {
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
        LogRecordFormat.Chained c = LogRecordFormat.chained(draft, lastHash);
        write(c.record(), c.line());
        return Optional.of(c.record());
    }

    /** Forces every appended record to disk. */
    synchronized void force() throws IOException {
        out.force(true);
        writeCheckpoint();
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
                    write(r, LogRecordFormat.line(r));
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
        restartHistory(newStart, newPrev, snapshotTail);
    }

    /**
     * Starts a new file once this one has grown past {@code maxBytes}: the current file is set aside as an earlier
     * history ({@link EarlierHistories}, served by {@link #readAllHistories}) and the new one starts with the
     * newest records held in memory (up to the tail capacity), so the chain goes on unbroken, the two files overlap
     * by those records, and a snapshot or a restart finds the recent records in the current file. The set-aside
     * files can then be archived or deleted by the operator; nothing reads them to decide anything.
     *
     * @return true when it started a new file; false when it did not need to, or could not now (a reader holds the
     *     file, the background check is not done, or damage is known)
     */
    boolean rotateIfLargerThan(long maxBytes) throws IOException {
        // Called while the state machine holds its lock: never wait here for a reader (an operator's query may
        // scan set-aside files for a while); the next snapshot tries again.
        if (!swap.writeLock().tryLock()) {
            return false;
        }
        try {
            synchronized (this) {
                // Not while the background check has the older records still to verify, nor once it found damage:
                // the file set aside must be one that was verified, and known damage must stay reported.
                if (length <= maxBytes
                        || tail.isEmpty()
                        || tail.size() >= records
                        || checkDone.getCount() > 0
                        || damage != null) {
                    return false;
                }
                List<LogRecord> keep = new ArrayList<>(tail);
                out.force(true);
                LOG.info(
                        "watermark log {} is {} bytes: setting it aside and going on in a new file from index {}",
                        file,
                        length,
                        keep.get(0).index());
                restartHistory(keep.get(0).index(), keep.get(0).previousHash(), keep);
                return true;
            }
        } finally {
            swap.writeLock().unlock();
        }
    }

    /**
     * Sets the current file aside and makes a new history the current one. The new file is complete and forced
     * under a pending name before the old one moves, so a stop in between leaves either the old file in place or
     * the pending one that {@link #open} completes.
     */
    private void restartHistory(long newStart, String newPrev, List<LogRecord> records) throws IOException {
        Path pending = pendingFile(file);
        writeFile(pending, newStart, newPrev, records);
        stopBackgroundCheckKeepingDamage();
        out.close();
        Files.deleteIfExists(checkpointFile);
        Path aside = file.resolveSibling(file.getFileName() + ".before-" + newStart + "." + System.nanoTime());
        Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
        install(pending, file);
        load();
    }

    private static Path pendingFile(Path file) {
        return file.resolveSibling(file.getFileName() + ".next");
    }

    /**
     * The chain head at {@code index} and the newest records at or below it (at most {@code max}), read back from
     * the current file: for a snapshot taken while the file is ahead of the state (entries replayed after a
     * restart). Streams the file, keeping only {@code max} records in memory.
     */
    ChainTail chainTailAt(long index, int max) throws IOException {
        Deque<LogRecord> kept = new ArrayDeque<>();
        String before;
        swap.readLock().lock();
        try {
            synchronized (this) {
                before = startPreviousHash;
            }
            scanUnlocked(0, r -> {
                if (r.index() > index) {
                    return false;
                }
                kept.addLast(r);
                if (kept.size() > max) {
                    kept.removeFirst();
                }
                return true;
            });
        } finally {
            swap.readLock().unlock();
        }
        return new ChainTail(kept.isEmpty() ? before : kept.getLast().hash(), new ArrayList<>(kept));
    }

    /** A chain head and the newest records up to it, oldest first. */
    record ChainTail(String head, List<LogRecord> records) {}

    /** Records matching {@code filter}, in index order. */
    List<LogRecord> read(LogFilter filter) throws IOException {
        if (filter.limit() <= 0) {
            return List.of();
        }
        Window window = new Window(filter, filter.limit());
        scan(filter.afterIndex() + 1, window::offer);
        return window.records();
    }

    /**
     * Collects what a filter selects from records offered in index order: the first {@code limit} after its index,
     * or, when it asks for the newest, the last {@code limit}.
     */
    static final class Window {
        private final LogFilter filter;
        private final int limit;
        private final Deque<LogRecord> found = new ArrayDeque<>();

        Window(LogFilter filter, int limit) {
            this.filter = filter;
            this.limit = limit;
        }

        /** @return false once no later record can be selected */
        boolean offer(LogRecord r) {
            if (r.index() <= filter.afterIndex() || !matches(filter, r)) {
                return true;
            }
            found.addLast(r);
            if (found.size() > limit) {
                if (!filter.newest()) {
                    found.removeLast();
                    return false;
                }
                found.removeFirst();
            }
            return true;
        }

        List<LogRecord> records() {
            return new ArrayList<>(found);
        }
    }

    /**
     * Like {@link #read}, over the whole trail this replica keeps: the histories it set aside after snapshot
     * installs ({@link EarlierHistories}) and then the current one.
     */
    List<LogRecord> readAllHistories(LogFilter filter) throws IOException {
        if (filter.limit() <= 0) {
            return List.of();
        }
        swap.readLock().lock();
        try {
            long start = startIndex();
            List<LogRecord> out = new ArrayList<>();
            if (filter.newest()) {
                List<LogRecord> current = read(filter);
                if (current.size() < filter.limit()) {
                    out.addAll(EarlierHistories.read(file, filter, start, filter.limit() - current.size()));
                }
                out.addAll(current);
                return out;
            }
            out.addAll(EarlierHistories.read(file, filter, start, filter.limit()));
            if (out.size() < filter.limit()) {
                long after = out.isEmpty()
                        ? filter.afterIndex()
                        : out.get(out.size() - 1).index();
                out.addAll(read(new LogFilter(
                        filter.keyHash(),
                        filter.kind(),
                        filter.minLevel(),
                        filter.maxLevel(),
                        Math.max(after, filter.afterIndex()),
                        filter.limit() - out.size(),
                        false)));
            }
            return out;
        } finally {
            swap.readLock().unlock();
        }
    }

    /** The histories set aside next to this log, oldest first. */
    List<WatermarkGuard.EarlierHistory> earlierHistories() throws IOException {
        swap.readLock().lock();
        try {
            return EarlierHistories.find(file);
        } finally {
            swap.readLock().unlock();
        }
    }

    /** The hash at {@code index} in the current history or, below its start, in a set-aside one. */
    Optional<String> hashAtInAnyHistory(long index) throws IOException {
        swap.readLock().lock();
        try {
            long start = startIndex();
            return index >= start ? hashAt(index) : EarlierHistories.hashAt(file, index, start);
        } finally {
            swap.readLock().unlock();
        }
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

    static boolean matches(LogFilter f, LogRecord r) {
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
            LineReader lines = new LineReader(ch, start);
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

    private void write(LogRecord r, String line) throws IOException {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
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
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        writeFile(tmp, start, previousHash, records);
        install(tmp, file);
    }

    /** Writes a whole log file (header and records) and forces it. */
    private static void writeFile(Path target, long start, String previousHash, List<LogRecord> records)
            throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
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
                target, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(b.toString().getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
    }

    /** Gives a complete, forced file the log's name. */
    private static void install(Path complete, Path file) throws IOException {
        Files.move(complete, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
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

    /**
     * Reads the file, cutting off a torn or unverifiable last line. Every record is verified (its own hash, the
     * chain, an index above the previous one), except that when the checkpoint matches the file, the records older
     * than the in-memory tail are only counted and sampled: they were verified when this replica wrote them or on an
     * earlier open, and a background check verifies them again.
     */
    private void load() throws IOException {
        stopBackgroundCheck();
        tail.clear();
        sampledOffsets.clear();
        records = 0;
        long validEnd;
        TrustedPrefix trusted = null;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            LineReader lines = new LineReader(ch, 0);
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
            long lineNo = 1;
            Optional<LogCheckpoint> checkpoint = LogCheckpoint.read(checkpointFile);
            if (checkpoint.isPresent()) {
                trusted = trustedPrefix(ch, checkpoint.get()).orElse(null);
            }
            if (trusted != null) {
                records = trusted.recordsBefore();
                sampledOffsets.putAll(trusted.samples());
                lastIndex = trusted.indexBefore();
                lastHash = trusted.hashBefore();
                lineNo += trusted.recordsBefore();
                lines = new LineReader(ch, trusted.tailStart());
            }
            validEnd = lines.position();
            while (true) {
                long offset = lines.position();
                String line = lines.next();
                if (line == null) {
                    break;
                }
                lineNo++;
                LogRecord r = null;
                String problem;
                if (!lines.lastLineTerminated()) {
                    problem = "torn last line";
                } else {
                    try {
                        r = LogRecordFormat.parse(line);
                        problem = chainProblem(r, lastHash, lastIndex);
                    } catch (IllegalArgumentException e) {
                        problem = e.getMessage();
                    }
                }
                if (problem != null) {
                    if (lines.next() != null) {
                        throw new IOException(damagedMessage(lineNo, problem));
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
        if (trusted == null) {
            // The whole file was verified just now: the next open may trust it up to here.
            out.force(true);
            writeCheckpoint();
        } else if (trusted.recordsBefore() > 0) {
            LOG.info(
                    "watermark log {}: {} records verified on open, the {} older ones up to index {} are verified"
                            + " in the background (checkpoint {})",
                    file,
                    records - trusted.recordsBefore(),
                    trusted.recordsBefore(),
                    trusted.indexBefore(),
                    checkpointFile.getFileName());
            startBackgroundCheck(trusted);
        }
    }

    /** Why a verified record does not follow the one with {@code previousHash} and {@code previousIndex}, or null. */
    private static String chainProblem(LogRecord r, String previousHash, long previousIndex) {
        if (!r.previousHash().equals(previousHash)) {
            return "chain broken (previous hash does not match)";
        }
        if (r.index() <= previousIndex) {
            return "index " + r.index() + " not above " + previousIndex;
        }
        return null;
    }

    private String damagedMessage(long lineNo, String problem) {
        return "watermark log " + file + " is damaged at line " + lineNo + " (" + problem + ") with records after"
                + " it; move the file aside to let this replica rebuild its history from a snapshot, or restore it"
                + " from a backup";
    }

    // ------------------------------------------------------------------ checkpoint

    /**
     * The records before the in-memory tail, as far as a checkpoint vouches for them.
     *
     * @param recordsBefore records before {@code tailStart}, not hashed on open
     * @param samples sampled (index, offset) pairs among them, every {@link #SAMPLE_EVERY} records
     * @param indexBefore index of the last record before {@code tailStart} ({@code start - 1} when none)
     * @param hashBefore the previous-record hash that the record at {@code tailStart} carries
     * @param tailStart offset of the first record that is verified on open
     */
    private record TrustedPrefix(
            long recordsBefore, TreeMap<Long, Long> samples, long indexBefore, String hashBefore, long tailStart) {}

    /**
     * Checks the checkpoint against the file without hashing the history: same header, whole lines up to its
     * offset with increasing indexes, the promised number of records, and a last record that verifies and is
     * the one the checkpoint names. Empty (and the whole file is verified) when anything differs.
     */
    private Optional<TrustedPrefix> trustedPrefix(FileChannel ch, LogCheckpoint cp) throws IOException {
        if (cp.start() != startIndex || !cp.previousHash().equals(startPreviousHash)) {
            return notTrusted("it was written for another history");
        }
        if (cp.end() <= headerLength || cp.end() > ch.size() || cp.records() <= 0) {
            return notTrusted("it ends outside the file's records");
        }
        int keep = Math.max(1, tailCapacity);
        long[] ringOffset = new long[keep + 1];
        long[] ringIndex = new long[keep + 1];
        TreeMap<Long, Long> samples = new TreeMap<>();
        long count = 0;
        long previous = startIndex - 1;
        ByteBuffer buf = ByteBuffer.allocate(256 * 1024);
        long pos = headerLength;
        long lineStart = headerLength;
        long index = 0;
        int digits = 0;
        boolean inIndex = true;
        while (pos < cp.end()) {
            buf.clear();
            buf.limit((int) Math.min(buf.capacity(), cp.end() - pos));
            int n = ch.read(buf, pos);
            if (n <= 0) {
                return notTrusted("the file is shorter than it says");
            }
            byte[] a = buf.array();
            for (int i = 0; i < n; i++) {
                byte b = a[i];
                if (inIndex) {
                    if (b >= '0' && b <= '9' && digits < 18) {
                        index = index * 10 + (b - '0');
                        digits++;
                        continue;
                    }
                    if (b != '\t' || digits == 0 || index <= previous) {
                        return notTrusted("line " + (count + 2) + " does not start with an increasing index");
                    }
                    inIndex = false;
                } else if (b == '\n') {
                    if (count % SAMPLE_EVERY == 0) {
                        samples.put(index, lineStart);
                    }
                    ringOffset[(int) (count % ringOffset.length)] = lineStart;
                    ringIndex[(int) (count % ringIndex.length)] = index;
                    count++;
                    previous = index;
                    lineStart = pos + i + 1;
                    index = 0;
                    digits = 0;
                    inIndex = true;
                }
            }
            pos += n;
        }
        if (lineStart != cp.end() || count != cp.records() || previous != cp.lastIndex()) {
            return notTrusted("the records before its offset are not the ones it names");
        }
        LogRecord last = readRecordAt(ch, ringOffset[(int) ((count - 1) % ringOffset.length)]);
        if (last == null || last.index() != cp.lastIndex() || !last.hash().equals(cp.lastHash())) {
            return notTrusted("the record at its offset is not the one it names");
        }
        long tailRecords = Math.min(count, keep);
        long recordsBefore = count - tailRecords;
        long tailStart = ringOffset[(int) (recordsBefore % ringOffset.length)];
        LogRecord first = readRecordAt(ch, tailStart);
        if (first == null) {
            return notTrusted("the first record of the tail does not verify");
        }
        long indexBefore =
                recordsBefore == 0 ? startIndex - 1 : ringIndex[(int) ((recordsBefore - 1) % ringIndex.length)];
        // Samples among the tail records are taken again when the tail is read.
        long kept = (recordsBefore + SAMPLE_EVERY - 1) / SAMPLE_EVERY;
        TreeMap<Long, Long> before = new TreeMap<>();
        for (Map.Entry<Long, Long> e : samples.entrySet()) {
            if (before.size() == kept) {
                break;
            }
            before.put(e.getKey(), e.getValue());
        }
        return Optional.of(new TrustedPrefix(recordsBefore, before, indexBefore, first.previousHash(), tailStart));
    }

    private Optional<TrustedPrefix> notTrusted(String why) {
        LOG.info("watermark log {}: not using {} ({}); verifying every record", file, checkpointFile, why);
        return Optional.empty();
    }

    /** The verified record on the line at {@code offset}, or null when that line is not a whole valid record. */
    private static LogRecord readRecordAt(FileChannel ch, long offset) throws IOException {
        LineReader r = new LineReader(ch, offset);
        String line = r.next();
        if (line == null || !r.lastLineTerminated()) {
            return null;
        }
        try {
            return LogRecordFormat.parse(line);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Records where the file is known whole, unless damage was found (then the next open verifies everything). */
    private void writeCheckpoint() {
        try {
            if (damage != null || records == 0) {
                Files.deleteIfExists(checkpointFile);
                return;
            }
            new LogCheckpoint(startIndex, startPreviousHash, length, lastIndex, lastHash, records)
                    .write(checkpointFile);
        } catch (IOException e) {
            // Only a hint: without it the next open verifies the whole file.
            LOG.warn("watermark log {}: could not write {}: {}", file, checkpointFile, e.toString());
        }
    }

    // ------------------------------------------------------------------ background check

    /** A background pass over the trusted records; {@link #cancelled} stops it. */
    private final class BackgroundCheck implements Runnable {
        private final TrustedPrefix prefix;
        private final long header;
        private final long first;
        private final String firstPrevious;
        private volatile boolean cancelled;

        BackgroundCheck(TrustedPrefix prefix, long header, long first, String firstPrevious) {
            this.prefix = prefix;
            this.header = header;
            this.first = first;
            this.firstPrevious = firstPrevious;
        }

        @Override
        public void run() {
            long started = System.nanoTime();
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                LineReader lines = new LineReader(ch, header);
                long previousIndex = first - 1;
                String previousHash = firstPrevious;
                long lineNo = 1;
                for (long n = 0; n < prefix.recordsBefore(); n++) {
                    if (cancelled) {
                        return;
                    }
                    String line = lines.next();
                    lineNo++;
                    String problem;
                    if (line == null || !lines.lastLineTerminated()) {
                        problem = "the file ends before the checkpointed records";
                    } else {
                        try {
                            LogRecord r = LogRecordFormat.parse(line);
                            problem = chainProblem(r, previousHash, previousIndex);
                            previousIndex = r.index();
                            previousHash = r.hash();
                        } catch (IllegalArgumentException e) {
                            problem = e.getMessage();
                        }
                    }
                    if (problem == null
                            && n == prefix.recordsBefore() - 1
                            && !previousHash.equals(prefix.hashBefore())) {
                        problem = "chain broken (the next record does not link to this one)";
                    }
                    if (problem != null) {
                        found(lineNo, problem);
                        return;
                    }
                }
                LOG.info(
                        "watermark log {}: background check verified {} records in {} ms",
                        file,
                        prefix.recordsBefore(),
                        (System.nanoTime() - started) / 1_000_000);
            } catch (IOException e) {
                if (!cancelled) {
                    found(0, "could not be read: " + e);
                }
            } finally {
                checkDone.countDown();
            }
        }

        private void found(long lineNo, String problem) {
            if (cancelled) {
                return;
            }
            String message = damagedMessage(lineNo, problem);
            damage = message;
            LOG.error(
                    "{} (found by the background check; signing is not affected, the watermarks live in the"
                            + " Raft state, but this replica's audit history is not trustworthy)",
                    message);
            try {
                Files.deleteIfExists(checkpointFile);
            } catch (IOException e) {
                LOG.warn("watermark log {}: could not delete {}: {}", file, checkpointFile, e.toString());
            }
        }
    }

    private BackgroundCheck check;
    private volatile CountDownLatch checkDone = new CountDownLatch(0);
    private volatile String damage;

    private void startBackgroundCheck(TrustedPrefix prefix) {
        check = new BackgroundCheck(prefix, headerLength, startIndex, startPreviousHash);
        checkDone = new CountDownLatch(1);
        Thread t = new Thread(check, "watermark-log-check");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    /** Stops the check of the file being replaced; what it found belonged to that file. */
    private void stopBackgroundCheck() {
        stopBackgroundCheckKeepingDamage();
        damage = null;
    }

    /**
     * Damage the background check found in records the checkpoint vouched for, with what to do about it; empty
     * while none is known.
     */
    Optional<String> damage() {
        return Optional.ofNullable(damage);
    }

    /** Waits for the background check of the records older than the tail (tests). */
    boolean awaitBackgroundCheck(long timeoutMillis) throws InterruptedException {
        return checkDone.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() throws IOException {
        stopBackgroundCheckKeepingDamage();
        if (out != null && out.isOpen()) {
            out.force(true);
            writeCheckpoint();
            out.close();
        }
    }

    private void stopBackgroundCheckKeepingDamage() {
        if (check != null) {
            check.cancelled = true;
            check = null;
        }
    }

    /**
     * Splits a file into LF-terminated UTF-8 lines from an offset, tracking byte offsets; reads with positional
     * reads, so it does not move the channel's position.
     */
    private static final class LineReader {
        /** No record comes near this; a longer line is not a watermark log line. */
        private static final int MAX_LINE = 1 << 20;

        private final FileChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        private long filePosition;
        private long position;
        private boolean terminated;
        private byte[] line = new byte[512];

        LineReader(FileChannel ch, long position) {
            this.ch = ch;
            this.position = position;
            this.filePosition = position;
            buf.limit(0);
        }

        long position() {
            return position;
        }

        boolean lastLineTerminated() {
            return terminated;
        }

        String next() throws IOException {
            int n = 0;
            terminated = false;
            while (true) {
                if (!buf.hasRemaining()) {
                    buf.clear();
                    int read = ch.read(buf, filePosition);
                    buf.flip();
                    if (read <= 0) {
                        return n == 0 ? null : new String(line, 0, n, StandardCharsets.UTF_8);
                    }
                    filePosition += read;
                }
                byte b = buf.get();
                position++;
                if (b == '\n') {
                    terminated = true;
                    return new String(line, 0, n, StandardCharsets.UTF_8);
                }
                if (n == line.length) {
                    if (n >= MAX_LINE) {
                        throw new IOException("line at offset " + (position - n - 1) + " is longer than " + MAX_LINE
                                + " bytes: not a watermark log record");
                    }
                    line = Arrays.copyOf(line, n * 2);
                }
                line[n++] = b;
            }
        }
    }
}
