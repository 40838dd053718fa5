package io.bakeguard.safety.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryFileTest {
    @TempDir
    Path dir;

    private static Op op(long id, Outcome outcome) {
        return new Op(
                id,
                2,
                "n1",
                "tz1dQa2T51KYdiR5n4A3zt7ki7GLLPSLYsEj",
                "NetXdQprcVkpaWU",
                "attestation",
                1000 + (int) id,
                1,
                "ab".repeat(32),
                "13abcdef",
                10 * id,
                10 * id + 5,
                1795275228515L + id,
                1795275228520L + id,
                outcome);
    }

    @Test
    void readsBackEveryRequestOutcomeAndFaultThatWasWritten() throws IOException {
        History h = new History(new RunClock());
        List<Op> ops = List.of(
                op(0, new Outcome.Signed("edsigXYZ")),
                op(1, new Outcome.Refused(409, "attestation level 1000 below high watermark")),
                op(2, new Outcome.NoQuorum("no quorum: not committed")),
                op(3, new Outcome.Failed(-1, "connection refused")),
                op(4, new Outcome.TimedOut("no answer within 3 s")));
        ops.forEach(h::add);
        List<FaultEvent> faults = List.of(
                new FaultEvent(
                        0, FaultType.SLOW_DISK, List.of("n2"), 1, 2, Optional.of("n2"), false, Set.of(), "slow", 3),
                new FaultEvent(
                        1,
                        FaultType.SPLIT_MAJORITY_MINORITY,
                        List.of("n3"),
                        4,
                        5,
                        Optional.empty(),
                        true,
                        Set.of("n3"),
                        "",
                        -1));
        faults.forEach(h::add);
        Path file = dir.resolve("history.jsonl");
        h.writeJsonLines(file);

        HistoryFile.Contents back = HistoryFile.read(file);

        assertThat(back.ops()).isEqualTo(ops);
        assertThat(back.faults()).isEqualTo(faults);
    }

    @Test
    void anUnknownRecordTypeIsAnErrorNamingTheLine() throws IOException {
        Path file = dir.resolve("history.jsonl");
        Files.writeString(file, "\n{\"type\":\"mystery\"}\n");
        assertThatThrownBy(() -> HistoryFile.read(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(":2:");
    }
}
