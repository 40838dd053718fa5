package io.bakeguard.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatermarkLogTest {

    @TempDir
    Path dir;

    static LogRecord draft(long index, int level, String reason) {
        return new LogRecord(
                index,
                2,
                1_700_000_000_000L + index,
                "n1",
                "reserve",
                Optional.of(TestCluster.KEY),
                Optional.of(TestCluster.CHAIN),
                level % 2 == 0 ? "block" : "attestation",
                level,
                0,
                Optional.of(TestCluster.digest("op " + index)),
                "granted",
                Optional.of(reason),
                "",
                "");
    }

    private static List<LogRecord> fill(WatermarkLog log, int n) throws IOException {
        List<LogRecord> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            // Gaps in the indexes, as Raft interleaves configuration entries.
            out.add(log.append(draft(i * 2L, i, i % 7 == 0 ? "tab\there\nnew line \\ backslash" : ""))
                    .orElseThrow());
        }
        return out;
    }

    private static void assertOpenRefused(Path file, int tailCapacity, long damagedLine) {
        assertThatThrownBy(() -> WatermarkLog.open(file, tailCapacity))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("damaged at line " + damagedLine + " ");
    }

    /** Writes {@code n} records to a new log and closes it (which writes its checkpoint). */
    private static List<LogRecord> writeAndClose(Path file, int tailCapacity, int n) throws IOException {
        try (WatermarkLog log = WatermarkLog.open(file, tailCapacity)) {
            return fill(log, n);
        }
    }

    /** Changes one letter of line {@code lineNo} (1 = the header): same length, so a checkpoint still matches. */
    private static void alterLine(Path file, long lineNo) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        int i = (int) lineNo - 1;
        assertThat(lines.get(i)).contains("granted");
        lines.set(i, lines.get(i).replace("granted", "grantee"));
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    @Test
    void recordsAreChainedAndReadBackAfterReopeningWithEveryHashVerified() throws IOException {
        Path file = dir.resolve("watermarks.log");
        List<LogRecord> written;
        try (WatermarkLog log = WatermarkLog.open(file, 100)) {
            written = fill(log, 600);
            assertThat(written.get(0).previousHash()).isEqualTo(LogRecordFormat.ZERO_HASH);
            for (int i = 1; i < written.size(); i++) {
                assertThat(written.get(i).previousHash())
                        .isEqualTo(written.get(i - 1).hash());
            }
        }
        try (WatermarkLog log = WatermarkLog.open(file, 100)) {
            assertThat(log.read(LogFilter.all(10_000))).isEqualTo(written);
            assertThat(log.startIndex()).isEqualTo(1);
            assertThat(log.lastIndex()).isEqualTo(1200);
            assertThat(log.tail()).isEqualTo(written.subList(500, 600));
            for (LogRecord r : List.of(written.get(0), written.get(255), written.get(256), written.get(599))) {
                assertThat(log.hashAt(r.index())).contains(r.hash());
            }
            assertThat(log.hashAt(3)).as("no record at an odd index").isEmpty();
            assertThat(log.hashAt(5000)).isEmpty();
            // Replayed entries are not written twice.
            assertThat(log.append(draft(1200, 600, ""))).isEmpty();
            assertThat(log.append(draft(4, 2, ""))).isEmpty();
        }
    }

    @Test
    void filtersSelectByKeyKindLevelAndIndexAndLimitKeepsTheOldestOrTheNewest() throws IOException {
        try (WatermarkLog log = WatermarkLog.open(dir.resolve("w.log"), 10)) {
            List<LogRecord> all = fill(log, 50);
            LogFilter blocksAbove10 = new LogFilter(
                    Optional.of(TestCluster.KEY), Optional.of("block"), Optional.of(11), Optional.of(30), 0, 3, false);
            assertThat(log.read(blocksAbove10)).extracting(LogRecord::level).containsExactly(12, 14, 16);
            LogFilter newest = new LogFilter(
                    Optional.empty(), Optional.of("block"), Optional.empty(), Optional.of(30), 0, 3, true);
            assertThat(log.read(newest)).extracting(LogRecord::level).containsExactly(26, 28, 30);
            LogFilter after = new LogFilter(
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 90, 100, false);
            assertThat(log.read(after)).isEqualTo(all.subList(45, 50));
            LogFilter otherKey = new LogFilter(
                    Optional.of("tz1Other"), Optional.empty(), Optional.empty(), Optional.empty(), 0, 100, false);
            assertThat(log.read(otherKey)).isEmpty();
            assertThat(log.read(LogFilter.all(0))).isEmpty();
        }
    }

    @Test
    void aTornLastLineIsCutOffAndTheChainContinuesFromTheLastWholeRecord() throws IOException {
        Path file = dir.resolve("w.log");
        List<LogRecord> written;
        try (WatermarkLog log = WatermarkLog.open(file, 10)) {
            written = fill(log, 5);
        }
        String partial =
                LogRecordFormat.chained(draft(12, 6, ""), written.get(4).hash()).line();
        Files.writeString(file, partial.substring(0, 40), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        try (WatermarkLog log = WatermarkLog.open(file, 10)) {
            assertThat(log.read(LogFilter.all(100))).isEqualTo(written);
            LogRecord next = log.append(draft(12, 6, "")).orElseThrow();
            assertThat(next.previousHash()).isEqualTo(written.get(4).hash());
        }
        try (WatermarkLog log = WatermarkLog.open(file, 10)) {
            assertThat(log.read(LogFilter.all(100))).hasSize(6);
        }
    }

    @Test
    void aDamagedRecordBeforeTheLastLineStopsTheReplicaWithAClearError() throws IOException {
        Path file = dir.resolve("w.log");
        try (WatermarkLog log = WatermarkLog.open(file, 10)) {
            fill(log, 5);
        }
        alterLine(file, 3);
        assertOpenRefused(file, 10, 3);
    }

    @Test
    void aFileThatIsNotAWatermarkLogIsRefused() throws IOException {
        Path file = dir.resolve("w.log");
        Files.writeString(file, "hello\n");
        assertThatThrownBy(() -> WatermarkLog.open(file, 10))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("no valid header");
    }

    @Test
    void aSnapshotTailThatLinksExtendsTheHistoryAndOneThatDoesNotStartsANewHistory() throws IOException {
        List<LogRecord> source = writeAndClose(dir.resolve("ref.log"), 100, 30);
        // A replica behind by a few records, whose records link to the tail: history goes on.
        Path behind = dir.resolve("behind.log");
        try (WatermarkLog log = WatermarkLog.open(behind, 100)) {
            for (LogRecord r : source.subList(0, 25)) {
                log.append(r);
            }
            log.reconcile(60, source.get(29).hash(), source.subList(20, 30));
            assertThat(log.startIndex()).isEqualTo(1);
            assertThat(log.read(LogFilter.all(100))).isEqualTo(source);
        }
        // A replica far behind: the tail does not link, so history restarts at the tail.
        Path far = dir.resolve("far.log");
        try (WatermarkLog log = WatermarkLog.open(far, 100)) {
            log.append(source.get(0));
            log.reconcile(60, source.get(29).hash(), source.subList(20, 30));
            assertThat(log.startIndex()).isEqualTo(source.get(20).index());
            assertThat(log.read(LogFilter.all(100))).isEqualTo(source.subList(20, 30));
            LogRecord next = log.append(draft(61, 31, "")).orElseThrow();
            assertThat(next.previousHash()).isEqualTo(source.get(29).hash());
        }
        try (WatermarkLog log = WatermarkLog.open(far, 100)) {
            assertThat(log.startIndex()).isEqualTo(source.get(20).index());
            assertThat(log.size()).isEqualTo(11);
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("far.log.before-"));
        }
        // A replica at or ahead of the snapshot with the same history keeps its file as is.
        Path ahead = dir.resolve("ahead.log");
        try (WatermarkLog log = WatermarkLog.open(ahead, 100)) {
            for (LogRecord r : source) {
                log.append(r);
            }
            log.reconcile(40, source.get(19).hash(), source.subList(10, 20));
            assertThat(log.read(LogFilter.all(100))).isEqualTo(source);
        }
    }

    @Test
    void aMatchingCheckpointLetsOpenSkipHashingTheOlderRecordsWhichTheBackgroundCheckThenVerifies() throws Exception {
        Path file = dir.resolve("watermarks.log");
        List<LogRecord> written = writeAndClose(file, 50, 1000);
        LogCheckpoint cp = LogCheckpoint.read(LogCheckpoint.fileFor(file)).orElseThrow();
        assertThat(cp.records()).isEqualTo(1000);
        assertThat(cp.lastIndex()).isEqualTo(2000);
        assertThat(cp.lastHash()).isEqualTo(written.get(999).hash());
        assertThat(cp.end()).isEqualTo(Files.size(file));

        try (WatermarkLog log = WatermarkLog.open(file, 50)) {
            assertThat(log.awaitBackgroundCheck(10_000)).isTrue();
            assertThat(log.damage()).isEmpty();
            assertThat(log.size()).isEqualTo(1000);
            assertThat(log.tail()).isEqualTo(written.subList(950, 1000));
            assertThat(log.read(LogFilter.all(10_000))).isEqualTo(written);
            for (LogRecord r : List.of(written.get(0), written.get(255), written.get(256), written.get(949))) {
                assertThat(log.hashAt(r.index())).contains(r.hash());
            }
            LogRecord next = log.append(draft(2002, 1001, "")).orElseThrow();
            assertThat(next.previousHash()).isEqualTo(written.get(999).hash());
        }
    }

    @Test
    void damageInTheRecordsACheckpointVouchesForIsFoundInTheBackgroundAndStopsTheNextOpen() throws Exception {
        Path file = dir.resolve("watermarks.log");
        writeAndClose(file, 20, 300);
        // Line 101 is record 100, well before the 20-record tail.
        alterLine(file, 101);

        try (WatermarkLog log = WatermarkLog.open(file, 20)) {
            assertThat(log.awaitBackgroundCheck(10_000)).isTrue();
            assertThat(log.damage())
                    .hasValueSatisfying(
                            d -> assertThat(d).contains("damaged at line 101").contains("hash mismatch"));
            assertThat(LogCheckpoint.fileFor(file)).doesNotExist();
        }
        assertThat(LogCheckpoint.fileFor(file))
                .as("not written again once damage is known")
                .doesNotExist();
        assertOpenRefused(file, 20, 101);
    }

    @Test
    void recordsAppendedAfterTheCheckpointAreVerifiedOnOpenAndATornLastOneIsCutOff() throws Exception {
        Path file = dir.resolve("watermarks.log");
        List<LogRecord> written;
        WatermarkLog crashed = WatermarkLog.open(file, 10);
        written = fill(crashed, 100);
        crashed.force();
        long checkpointed =
                LogCheckpoint.read(LogCheckpoint.fileFor(file)).orElseThrow().lastIndex();
        for (int i = 101; i <= 120; i++) {
            written.add(crashed.append(draft(i * 2L, i, "")).orElseThrow());
        }
        // A crash: no close, so no new checkpoint; and half a record at the end.
        String partial = LogRecordFormat.chained(
                        draft(300, 150, ""), written.get(119).hash())
                .line();
        Files.writeString(file, partial.substring(0, 50), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        assertThat(checkpointed).isEqualTo(200);

        try (WatermarkLog log = WatermarkLog.open(file, 10)) {
            assertThat(log.awaitBackgroundCheck(10_000)).isTrue();
            assertThat(log.damage()).isEmpty();
            assertThat(log.lastIndex()).isEqualTo(240);
            assertThat(log.read(LogFilter.all(1000))).isEqualTo(written);
        }

        // A record after the checkpoint altered, with records after it: refused at once, as without a checkpoint.
        try (WatermarkLog log = WatermarkLog.open(file, 10)) {
            log.force();
            for (int i = 121; i <= 130; i++) {
                log.append(draft(i * 2L, i, ""));
            }
        }
        long lineCount = Files.readAllLines(file, StandardCharsets.UTF_8).size();
        alterLine(file, lineCount - 4);
        assertOpenRefused(file, 10, lineCount - 4);
    }

    @Test
    void aCheckpointThatDoesNotMatchTheFileIsIgnoredAndEveryRecordVerified() throws Exception {
        Path file = dir.resolve("watermarks.log");
        List<LogRecord> written = writeAndClose(file, 10, 200);
        Path checkpoint = LogCheckpoint.fileFor(file);
        LogCheckpoint good = LogCheckpoint.read(checkpoint).orElseThrow();
        List<String> bad = List.of("garbage", "", "#bakeguard-watermark-log-checkpoint\tv1\tstart=1", "x".repeat(5000));
        List<LogCheckpoint> wrong = List.of(
                new LogCheckpoint(2, good.previousHash(), good.end(), good.lastIndex(), good.lastHash(), 200),
                new LogCheckpoint(1, good.previousHash(), good.end() + 1, good.lastIndex(), good.lastHash(), 200),
                new LogCheckpoint(1, good.previousHash(), good.end() - 3, good.lastIndex(), good.lastHash(), 200),
                new LogCheckpoint(1, good.previousHash(), good.end(), good.lastIndex(), good.lastHash(), 199),
                new LogCheckpoint(
                        1,
                        good.previousHash(),
                        good.end(),
                        good.lastIndex(),
                        written.get(5).hash(),
                        200),
                new LogCheckpoint(1, good.previousHash(), good.end(), 398, good.lastHash(), 200));
        // Record 50 (line 51) altered: only a full verification on open finds it, so each open must fail.
        alterLine(file, 51);
        for (String text : bad) {
            Files.writeString(checkpoint, text);
            assertThatThrownBy(() -> WatermarkLog.open(file, 10))
                    .as("checkpoint %s", text.length() > 40 ? text.substring(0, 40) : text)
                    .hasMessageContaining("damaged at line 51");
        }
        for (LogCheckpoint cp : wrong) {
            cp.write(checkpoint);
            assertThatThrownBy(() -> WatermarkLog.open(file, 10))
                    .as("checkpoint %s", cp)
                    .hasMessageContaining("damaged at line 51");
        }
        good.write(checkpoint);
        try (WatermarkLog log = WatermarkLog.open(file, 10)) {
            assertThat(log.awaitBackgroundCheck(10_000)).isTrue();
            assertThat(log.damage()).hasValueSatisfying(d -> assertThat(d).contains("damaged at line 51"));
        }
    }

    @Test
    void aNewHistoryAfterASnapshotDropsTheOldCheckpoint() throws Exception {
        List<LogRecord> source = writeAndClose(dir.resolve("ref.log"), 100, 30);
        Path far = dir.resolve("far.log");
        try (WatermarkLog log = WatermarkLog.open(far, 5)) {
            log.append(source.get(0));
            log.force();
            log.reconcile(60, source.get(29).hash(), source.subList(20, 30));
            assertThat(LogCheckpoint.read(LogCheckpoint.fileFor(far)))
                    .hasValueSatisfying(cp ->
                            assertThat(cp.start()).isEqualTo(source.get(20).index()));
        }
        try (WatermarkLog log = WatermarkLog.open(far, 5)) {
            assertThat(log.awaitBackgroundCheck(10_000)).isTrue();
            assertThat(log.damage()).isEmpty();
            assertThat(log.read(LogFilter.all(100))).isEqualTo(source.subList(20, 30));
        }
    }

    @Test
    void theWholeTrailServesSetAsideHistoriesFirstInIndexOrderWithGapsBetweenThem() throws Exception {
        List<LogRecord> source = writeAndClose(dir.resolve("ref.log"), 100, 60); // indexes 2, 4, ..., 120
        Path far = dir.resolve("far.log");
        try (WatermarkLog log = WatermarkLog.open(far, 5)) {
            for (LogRecord r : source.subList(0, 10)) {
                log.append(r);
            }
            log.reconcile(80, source.get(39).hash(), source.subList(30, 40)); // restarts at 62
            for (LogRecord r : source.subList(40, 45)) {
                log.append(r);
            }
            log.reconcile(120, source.get(59).hash(), source.subList(55, 60)); // restarts at 112
            assertThat(log.startIndex()).isEqualTo(112);
            assertThat(log.read(LogFilter.all(1000)))
                    .as("the current history alone")
                    .isEqualTo(source.subList(55, 60));

            List<LogRecord> trail = new ArrayList<>(source.subList(0, 10));
            trail.addAll(source.subList(30, 45));
            trail.addAll(source.subList(55, 60));
            assertThat(log.readAllHistories(LogFilter.all(1000))).isEqualTo(trail);
            assertThat(log.earlierHistories())
                    .extracting(WatermarkGuard.EarlierHistory::startIndex)
                    .containsExactly(1L, 62L);
            assertThat(log.earlierHistories())
                    .allSatisfy(h -> assertThat(h.file()).startsWith("far.log.before-"));

            LogFilter newest7 =
                    new LogFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 0, 7, true);
            assertThat(log.readAllHistories(newest7)).isEqualTo(trail.subList(trail.size() - 7, trail.size()));
            LogFilter after16 =
                    new LogFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 16, 5, false);
            assertThat(log.readAllHistories(after16))
                    .extracting(LogRecord::index)
                    .containsExactly(18L, 20L, 62L, 64L, 66L);
            LogFilter blocks = new LogFilter(
                    Optional.empty(), Optional.of("block"), Optional.empty(), Optional.empty(), 0, 1000, false);
            assertThat(log.readAllHistories(blocks))
                    .isEqualTo(
                            trail.stream().filter(r -> r.kind().equals("block")).toList());

            assertThat(log.hashAtInAnyHistory(20)).contains(source.get(9).hash());
            assertThat(log.hashAtInAnyHistory(64)).contains(source.get(31).hash());
            assertThat(log.hashAtInAnyHistory(114)).contains(source.get(56).hash());
            assertThat(log.hashAtInAnyHistory(40))
                    .as("in the gap between histories")
                    .isEmpty();
            assertThat(log.hashAt(20)).as("the current history alone").isEmpty();
        }
    }

    @Test
    void whereASetAsideHistoryOverlapsTheNextOneTheNextOneIsServed() throws Exception {
        List<LogRecord> source = writeAndClose(dir.resolve("ref.log"), 100, 40); // indexes 2, 4, ..., 80
        Path diverged = dir.resolve("diverged.log");
        try (WatermarkLog log = WatermarkLog.open(diverged, 5)) {
            List<LogRecord> own = new ArrayList<>();
            for (int i = 1; i <= 50; i++) {
                own.add(log.append(draft(i * 2L, i, "not the cluster's")).orElseThrow());
            }
            log.reconcile(80, source.get(39).hash(), source.subList(30, 40)); // its record at 80 differs
            assertThat(log.startIndex()).isEqualTo(62);

            List<LogRecord> trail = new ArrayList<>(own.subList(0, 30));
            trail.addAll(source.subList(30, 40));
            assertThat(log.readAllHistories(LogFilter.all(1000))).isEqualTo(trail);
            assertThat(log.hashAtInAnyHistory(62)).contains(source.get(30).hash());
            assertThat(log.hashAtInAnyHistory(60)).contains(own.get(29).hash());
        }
    }

    @Test
    void aLogWithoutSetAsideHistoriesReadsTheSameEitherWay() throws Exception {
        Path file = dir.resolve("w.log");
        try (WatermarkLog log = WatermarkLog.open(file, 5)) {
            List<LogRecord> all = fill(log, 20);
            assertThat(log.earlierHistories()).isEmpty();
            assertThat(log.readAllHistories(LogFilter.all(1000))).isEqualTo(all);
            assertThat(log.readAllHistories(LogFilter.all(0))).isEmpty();
            assertThat(log.hashAtInAnyHistory(40)).contains(all.get(19).hash());
            assertThat(log.hashAtInAnyHistory(41)).isEmpty();
        }
    }

    @Test
    void aLargeFileIsSetAsideAndTheNewOneKeepsTheNewestRecordsSoTheChainGoesOn() throws Exception {
        Path file = dir.resolve("w.log");
        List<LogRecord> all;
        try (WatermarkLog log = WatermarkLog.open(file, 5)) {
            all = new ArrayList<>(fill(log, 50));
            assertThat(log.rotateIfLargerThan(Files.size(file)))
                    .as("not larger than the limit")
                    .isFalse();
            assertThat(log.rotateIfLargerThan(1000)).isTrue();
            assertThat(log.startIndex()).isEqualTo(all.get(45).index());
            assertThat(log.read(LogFilter.all(1000))).isEqualTo(all.subList(45, 50));
            assertThat(log.readAllHistories(LogFilter.all(1000))).isEqualTo(all);
            assertThat(log.earlierHistories()).singleElement().satisfies(h -> {
                assertThat(h.startIndex()).isEqualTo(1);
                assertThat(h.file()).startsWith("w.log.before-" + all.get(45).index() + ".");
            });
            assertThat(log.rotateIfLargerThan(1000))
                    .as("the file holds nothing but the kept records")
                    .isFalse();
            LogRecord next = log.append(draft(102, 51, "")).orElseThrow();
            assertThat(next.previousHash()).isEqualTo(all.get(49).hash());
            all.add(next);
        }
        try (WatermarkLog log = WatermarkLog.open(file, 5)) {
            assertThat(log.awaitBackgroundCheck(10_000)).isTrue();
            assertThat(log.damage()).isEmpty();
            assertThat(log.lastHash()).isEqualTo(all.get(50).hash());
            assertThat(log.readAllHistories(LogFilter.all(1000))).isEqualTo(all);
            for (int i = 52; i <= 60; i++) {
                all.add(log.append(draft(i * 2L, i, "")).orElseThrow());
            }
            assertThat(log.rotateIfLargerThan(1000)).isTrue();
            assertThat(log.earlierHistories()).hasSize(2);
            assertThat(log.readAllHistories(LogFilter.all(1000))).isEqualTo(all);
            assertThat(log.hashAtInAnyHistory(all.get(10).index()))
                    .contains(all.get(10).hash());
        }
    }

    @Test
    void aStopBetweenSettingTheOldFileAsideAndInstallingTheNewOneIsCompletedOnOpen() throws Exception {
        Path file = dir.resolve("w.log");
        List<LogRecord> all;
        try (WatermarkLog log = WatermarkLog.open(file, 5)) {
            all = fill(log, 30);
            assertThat(log.rotateIfLargerThan(1000)).isTrue();
        }
        // The state that stop leaves: old file aside, the new one complete but still under its pending name.
        Files.move(file, dir.resolve("w.log.next"));
        Files.deleteIfExists(LogCheckpoint.fileFor(file));
        try (WatermarkLog log = WatermarkLog.open(file, 5)) {
            assertThat(log.startIndex()).isEqualTo(all.get(25).index());
            assertThat(log.readAllHistories(LogFilter.all(1000))).isEqualTo(all);
        }
        assertThat(dir.resolve("w.log.next")).doesNotExist();
    }

    @Test
    void theChainTailAtAnIndexStreamsTheFileAndIsTheHistoryStartBeforeItsFirstRecord() throws Exception {
        try (WatermarkLog log = WatermarkLog.open(dir.resolve("w.log"), 5)) {
            List<LogRecord> all = fill(log, 50);
            WatermarkLog.ChainTail t = log.chainTailAt(all.get(29).index() + 1, 4);
            assertThat(t.head()).isEqualTo(all.get(29).hash());
            assertThat(t.records()).isEqualTo(all.subList(26, 30));
            assertThat(log.chainTailAt(0, 4).head()).isEqualTo(LogRecordFormat.ZERO_HASH);
            assertThat(log.rotateIfLargerThan(1000)).isTrue();
            WatermarkLog.ChainTail before = log.chainTailAt(all.get(45).index() - 1, 4);
            assertThat(before.head()).isEqualTo(all.get(44).hash());
            assertThat(before.records()).isEmpty();
            assertThat(log.chainTailAt(all.get(47).index(), 10).records()).isEqualTo(all.subList(45, 48));
        }
    }
}
