package io.bakeguard.raft;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a watermark log file was last known whole: the file's header (start index and chain hash before it), the
 * byte offset just past the last record forced to disk, that record's index and hash, and how many records come
 * before that offset. A replica writes it beside the log each time it forces the log (before a snapshot, on close)
 * and after verifying the whole file on open; the next open checks the record that ends at {@link #end} against it
 * and then trusts the records before it instead of hashing the whole history again, which it verifies in the
 * background instead.
 *
 * <p>The file is only a hint: it is replaced atomically but not forced, and anything that does not match the log
 * exactly (missing, unreadable, another header, a different record at that offset) makes the open verify the
 * whole log as before.
 */
record LogCheckpoint(long start, String previousHash, long end, long lastIndex, String lastHash, long records) {
    private static final String MAGIC = "#bakeguard-watermark-log-checkpoint\tv1";
    private static final Pattern FORMAT = Pattern.compile(Pattern.quote(MAGIC)
            + "\tstart=(\\d{1,19})\tprev=([0-9a-f]{64})\tend=(\\d{1,19})\tlast=(\\d{1,19})\thash=([0-9a-f]{64})"
            + "\trecords=(\\d{1,19})\n?");
    /** The longest checkpoint file worth reading: a valid one is about 240 bytes. */
    private static final int MAX_BYTES = 1024;

    /** The checkpoint file of a watermark log file. */
    static Path fileFor(Path log) {
        return log.resolveSibling(log.getFileName() + ".checkpoint");
    }

    /** The checkpoint in {@code file}, or empty when there is none or it cannot be read as one. */
    static Optional<LogCheckpoint> read(Path file) {
        try {
            if (Files.size(file) > MAX_BYTES) {
                return Optional.empty();
            }
            Matcher m = FORMAT.matcher(Files.readString(file, StandardCharsets.UTF_8));
            if (!m.matches()) {
                return Optional.empty();
            }
            return Optional.of(new LogCheckpoint(
                    Long.parseLong(m.group(1)),
                    m.group(2),
                    Long.parseLong(m.group(3)),
                    Long.parseLong(m.group(4)),
                    m.group(5),
                    Long.parseLong(m.group(6))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            // Unreadable, not UTF-8, a number out of range: not a checkpoint, so the whole log is verified.
            return Optional.empty();
        }
    }

    /** Replaces {@code file} with this checkpoint (a temporary file renamed over it). */
    void write(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(
                tmp,
                MAGIC + "\tstart=" + start + "\tprev=" + previousHash + "\tend=" + end + "\tlast=" + lastIndex
                        + "\thash=" + lastHash + "\trecords=" + records + "\n",
                StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
