package io.bakeguard.safety.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatermarkLogFilesTest {
    private static final String H0 = "0".repeat(64);
    private static final String H1 = "1".repeat(64);
    private static final String H2 = "2".repeat(64);
    private static final String H3 = "3".repeat(64);

    @TempDir
    Path data;

    private static String line(long index, String decision, String reason, String prev, String hash) {
        return String.join(
                "\t",
                Long.toString(index),
                "3",
                "1795275228515",
                "n2",
                "reserve",
                "tz1dQa2T51KYdiR5n4A3zt7ki7GLLPSLYsEj",
                "NetXdQprcVkpaWU",
                "attestation",
                "2570",
                "1",
                "ac1c4676d06ac5a7",
                decision,
                reason,
                prev,
                hash);
    }

    @Test
    void readsTheCurrentAndEverySetAsideHistoryOldestFirst() throws Exception {
        Files.writeString(
                data.resolve("watermarks.log.before-900.123"),
                "#bakeguard-watermark-log\tv1\tstart=1\tprev=" + H0 + "\n"
                        + line(1, "granted", "", H0, H1) + "\n"
                        + line(2, "refused", "tab\\there, slash \\\\ and\\nnew line", H1, H2) + "\n");
        Files.writeString(
                data.resolve("watermarks.log.before-50.7"),
                "#bakeguard-watermark-log\tv1\tstart=1\tprev=" + H0 + "\n" + line(1, "granted", "", H0, H1) + "\n");
        // Another file naming the same index (a rotation, then a history restart at that index): its own history.
        Files.writeString(
                data.resolve("watermarks.log.before-900.45"),
                "#bakeguard-watermark-log\tv1\tstart=2\tprev=" + H1 + "\n"
                        + line(2, "refused", "tab\\there, slash \\\\ and\\nnew line", H1, H2) + "\n");
        Files.writeString(
                data.resolve("watermarks.log"),
                "#bakeguard-watermark-log\tv1\tstart=900\tprev=" + H2 + "\n"
                        + line(900, "repeat", "", H2, H3) + "\n"
                        + "901\t3\ttorn"); // a torn last line ends the history

        Map<String, List<CommittedRecord>> all = WatermarkLogFiles.read("n2", data);

        assertThat(all.keySet()).containsExactly("n2/before-50.7", "n2/before-900.123", "n2/before-900.45", "n2");
        assertThat(all.get("n2/before-900.45"))
                .extracting(CommittedRecord::index)
                .containsExactly(2L);
        List<CommittedRecord> old = all.get("n2/before-900.123");
        assertThat(old).hasSize(2);
        CommittedRecord refused = old.get(1);
        assertThat(refused.index()).isEqualTo(2);
        assertThat(refused.reason()).isEqualTo("tab\there, slash \\ and\nnew line");
        assertThat(refused.bucket())
                .isEqualTo(new Bucket("tz1dQa2T51KYdiR5n4A3zt7ki7GLLPSLYsEj", "NetXdQprcVkpaWU", "attestation"));
        assertThat(refused.levelRound()).isEqualTo(new LevelRound(2570, 1));
        assertThat(refused.previousHash()).isEqualTo(H1);
        assertThat(refused.hash()).isEqualTo(H2);
        assertThat(all.get("n2")).extracting(CommittedRecord::index).containsExactly(900L);
        assertThat(all.get("n2").get(0).grantsSignature()).isTrue();
        assertThat(WatermarkLogFiles.readSetAside("n2", data).keySet())
                .containsExactly("n2/before-50.7", "n2/before-900.123", "n2/before-900.45");
    }

    @Test
    void aReplicaWithoutFilesHasNoHistories() throws Exception {
        assertThat(WatermarkLogFiles.read("n1", data)).isEmpty();
        assertThat(WatermarkLogFiles.readSetAside("n1", data.resolve("missing")))
                .isEmpty();
    }
}
