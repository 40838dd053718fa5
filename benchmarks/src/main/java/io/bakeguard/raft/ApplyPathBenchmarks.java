package io.bakeguard.raft;

import io.bakeguard.core.crypto.Blake2b;
import io.bakeguard.core.watermark.BucketKey;
import io.bakeguard.core.watermark.Reservation;
import io.bakeguard.core.watermark.WatermarkKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The work every replica does for each applied reservation besides Ratis' own: decoding the entry, and chaining
 * and writing its watermark-log record (one {@code write}, no fsync: the file is forced at snapshots). In the
 * benchmarks package's sibling {@code io.bakeguard.raft} because the codec and the log are package-private.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
public class ApplyPathBenchmarks {
    private static final String KEY = "tz1KqTpEZ7Yob7QbPE4Hy4Wo8fHG8LhKxZSx";
    private static final String CHAIN = "NetXdQprcVkpaWU";

    private byte[] entry;
    private String digest;
    private Path dir;
    private WatermarkLog log;
    private long index;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        digest = Blake2b.hash256Hex("attestation".getBytes(StandardCharsets.UTF_8));
        Reservation r = new Reservation(new BucketKey(KEY, CHAIN, WatermarkKind.ATTESTATION), 9_000_000, 0, digest);
        entry = GuardCodec.encodeEntry(new GuardEntry.Reserve("n1", 1_700_000_000_000L, r, false));
        dir = Files.createTempDirectory("bakeguard-apply-bench");
        log = WatermarkLog.open(dir.resolve("watermark.log"), 64);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        log.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Benchmark
    public GuardEntry decodeEntry() throws GuardCodec.MalformedException {
        return GuardCodec.decodeEntry(entry);
    }

    @Benchmark
    public Optional<LogRecord> appendRecord() throws IOException {
        index++;
        return log.append(new LogRecord(
                index,
                3,
                1_700_000_000_000L + index,
                "n1",
                "reserve",
                Optional.of(KEY),
                Optional.of(CHAIN),
                "attestation",
                9_000_000 + (int) index,
                0,
                Optional.of(digest),
                "granted",
                Optional.empty(),
                "",
                ""));
    }
}
