package io.bakeguard.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The last lines of a process' log, for the message of a test or harness that saw the process fail. */
public final class LogTail {
    private LogTail() {}

    /**
     * The last {@code lines} lines of {@code log}; never throws: a log that cannot be read gives a line saying why.
     * Bytes that are not UTF-8 are replaced, not refused.
     */
    public static String of(Path log, int lines) {
        if (lines < 1) {
            throw new IllegalArgumentException("lines must be positive, got " + lines);
        }
        try {
            List<String> all = new String(Files.readAllBytes(log), StandardCharsets.UTF_8)
                    .lines()
                    .toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log at " + log + ": " + e + ")";
        }
    }
}
