package io.bakeguard.raft;

import static io.bakeguard.raft.GuardBasicsTest.decide;
import static io.bakeguard.raft.TestCluster.deadline;
import static io.bakeguard.raft.TestCluster.reservation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bakeguard.core.watermark.Decision;
import io.bakeguard.core.watermark.WatermarkKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.ratis.util.MD5FileUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DamagedStorageTest {

    @TempDir
    Path dir;

    private List<PeerAddress> runAndStop() throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 1)) {
            cluster.waitForLeader();
            for (int level = 1; level <= 5; level++) {
                assertThat(decide(cluster.get("n1")
                                .reserve(reservation(WatermarkKind.BLOCK, level, 0, "b" + level), true, deadline())
                                .get(30, TimeUnit.SECONDS)))
                        .isInstanceOf(Decision.Granted.class);
            }
            assertThat(cluster.get("n1").snapshot().get(60, TimeUnit.SECONDS)).isPositive();
            return List.copyOf(cluster.peers);
        }
    }

    private Path latestSnapshot() throws IOException {
        try (Stream<Path> files = Files.walk(dir.resolve("n1"))) {
            return files.filter(p -> p.getFileName().toString().matches("snapshot\\.\\d+_\\d+"))
                    // snapshot.<term>_<index>, compared as numbers: by name, snapshot.1_9 would beat snapshot.1_10.
                    .max(Comparator.comparingLong((Path p) -> snapshotPart(p, 0))
                            .thenComparingLong(p -> snapshotPart(p, 1)))
                    .orElseThrow();
        }
    }

    private static long snapshotPart(Path snapshot, int part) {
        return Long.parseLong(snapshot.getFileName()
                .toString()
                .substring("snapshot.".length())
                .split("_")[part]);
    }

    @Test
    void aSnapshotWhoseBytesNoLongerMatchItsMd5StopsTheReplicaFromStarting() throws Exception {
        List<PeerAddress> peers = runAndStop();
        Path snapshot = latestSnapshot();
        byte[] bytes = Files.readAllBytes(snapshot);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(snapshot, bytes);
        assertThatThrownBy(() -> TestCluster.restart(dir, peers))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("could not start")
                .satisfies(e -> assertThat(causes(e)).anyMatch(m -> m.contains("MD5")));
    }

    @Test
    void aTruncatedSnapshotWithAMatchingMd5IsRefusedAsDamaged() throws Exception {
        List<PeerAddress> peers = runAndStop();
        Path snapshot = latestSnapshot();
        byte[] bytes = Files.readAllBytes(snapshot);
        Files.write(snapshot, java.util.Arrays.copyOf(bytes, bytes.length - 10));
        MD5FileUtil.saveMD5File(snapshot.toFile(), MD5FileUtil.computeMd5ForFile(snapshot.toFile()));
        assertThatThrownBy(() -> TestCluster.restart(dir, peers))
                .isInstanceOf(IOException.class)
                .satisfies(e -> assertThat(causes(e)).anyMatch(m -> m.contains("truncated") || m.contains("damaged")));
    }

    @Test
    void aRestartAfterTheWatermarkLogLostItsTailRestoresExactlyTheSameRecords() throws Exception {
        List<PeerAddress> peers;
        List<LogRecord> before;
        try (TestCluster cluster = TestCluster.start(dir, 1)) {
            cluster.waitForLeader();
            for (int level = 1; level <= 5; level++) {
                decide(cluster.get("n1")
                        .reserve(reservation(WatermarkKind.BLOCK, level, 0, "b" + level), true, deadline())
                        .get(30, TimeUnit.SECONDS));
            }
            before = cluster.get("n1").log(LogFilter.all(100));
            peers = List.copyOf(cluster.peers);
        }
        // Simulate a crash that lost the last two records and tore the one before.
        Path log = dir.resolve("n1").resolve(RaftWatermarkGuard.LOG_FILE);
        List<String> lines = Files.readAllLines(log);
        String torn = lines.get(lines.size() - 3).substring(0, 30);
        Files.writeString(log, String.join("\n", lines.subList(0, lines.size() - 3)) + "\n" + torn);
        try (TestCluster again = TestCluster.restart(dir, peers)) {
            again.waitForLeader();
            again.awaitConverged();
            assertThat(again.get("n1").log(LogFilter.all(100))).isEqualTo(before);
        }
    }

    private static List<String> causes(Throwable t) {
        return Stream.iterate(t, x -> x != null, Throwable::getCause)
                .map(x -> String.valueOf(x.getMessage()))
                .collect(Collectors.toList());
    }
}
