package io.bakeguard.safety.run;

import io.bakeguard.core.key.KeyFormatException;
import io.bakeguard.core.key.PublicKey;
import io.bakeguard.core.key.SecretKey;
import io.bakeguard.safety.check.CheckInput;
import io.bakeguard.safety.check.CommittedRecord;
import io.bakeguard.safety.check.PublicKeyVerifier;
import io.bakeguard.safety.check.SafetyChecker;
import io.bakeguard.safety.check.Verdict;
import io.bakeguard.safety.check.WatermarkLogFiles;
import io.bakeguard.safety.history.HistoryFile;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Checks a finished run again, offline, from its directory: {@code history.jsonl}, the key files, and every
 * replica's watermark log files on disk (current and set aside, see {@link WatermarkLogFiles}). Writes
 * {@code recheck.txt} next to the report. The watermark checkpoints around full-cluster kills are not in the
 * history file, so check 6 (no watermark lower after a full restart) is the run's own.
 *
 * <p>{@code java -cp <safety-tests classpath> io.bakeguard.safety.run.Recheck safety-tests/target/safety/run-3r-seed7
 * [seed]}
 */
public final class Recheck {
    private Recheck() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: Recheck RUN_DIR [SEED]");
            System.exit(2);
        }
        Path runDir = Path.of(args[0]);
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 0;
        HistoryFile.Contents h = HistoryFile.read(runDir.resolve("history.jsonl"));
        Map<String, List<CommittedRecord>> logs = logs(runDir);
        Verdict verdict = check(runDir, h, logs);
        StringBuilder text = new StringBuilder();
        text.append(String.format(
                "recheck of %s: %d requests, %d faults; log files:%n",
                runDir, h.ops().size(), h.faults().size()));
        logs.forEach((source, records) -> text.append(String.format(
                "  %-24s %8d records, index %d..%d%n",
                source,
                records.size(),
                records.isEmpty() ? 0 : records.get(0).index(),
                records.isEmpty() ? 0 : records.get(records.size() - 1).index())));
        text.append(String.format(
                "checked: %d signatures verified, %d slots signed, %d log records replayed, %d signatures matched%n",
                verdict.signaturesVerified(),
                verdict.slotsChecked(),
                verdict.logRecordsReplayed(),
                verdict.signaturesMatchedToLog()));
        List<Report.Failover> failovers = Report.failovers(h.ops(), h.faults());
        text.append(Report.uninterruptedText(Report.millis(failovers, true), Report.uninterruptedByType(failovers)));
        verdict.notes().stream()
                .limit(20)
                .forEach(n -> text.append("note: ").append(n).append('\n'));
        text.append(verdict.render(seed, h.faults(), 1_000));
        Files.writeString(runDir.resolve("recheck.txt"), text.toString());
        System.out.println(text);
        System.exit(verdict.safe() ? 0 : 1);
    }

    /** Runs the checker on a run's history and log files, with the public keys of the run directory's key files. */
    static Verdict check(Path runDir, HistoryFile.Contents h, Map<String, List<CommittedRecord>> logs)
            throws IOException, KeyFormatException {
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(runDir.resolve("keys"), "*.key")) {
            for (Path f : files) {
                PublicKey pk = SecretKey.parse(Files.readString(f).strip(), Optional.empty())
                        .publicKey();
                keys.put(pk.hash(), pk);
            }
        }
        return new SafetyChecker(new PublicKeyVerifier(keys))
                .check(new CheckInput(h.ops(), h.faults(), logs, List.of()));
    }

    /** Every replica's log files under {@code runDir/<replica>/data}, current and set aside. */
    static Map<String, List<CommittedRecord>> logs(Path runDir) throws IOException {
        Map<String, List<CommittedRecord>> logs = new TreeMap<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(runDir, "n*")) {
            for (Path d : dirs) {
                if (Files.isDirectory(d.resolve("data"))) {
                    logs.putAll(WatermarkLogFiles.read(d.getFileName().toString(), d.resolve("data")));
                }
            }
        }
        return logs;
    }
}
