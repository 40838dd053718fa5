package io.bakeguard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {
    @Test
    void theLastLinesAreKeptInOrder(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("replica.log");
        Files.writeString(log, "one\ntwo\nthree\nfour\n");
        assertThat(LogTail.of(log, 2)).isEqualTo("three\nfour");
        assertThat(LogTail.of(log, 10)).isEqualTo("one\ntwo\nthree\nfour");
    }

    @Test
    void aMissingOrUndecodableLogIsDescribedNotThrown(@TempDir Path dir) throws Exception {
        assertThat(LogTail.of(dir.resolve("absent.log"), 5))
                .startsWith("(no log at " + dir.resolve("absent.log"))
                .contains("NoSuchFileException");
        Path binary = dir.resolve("binary.log");
        Files.write(binary, new byte[] {'o', 'k', '\n', (byte) 0xff, (byte) 0xfe, '\n'});
        assertThat(LogTail.of(binary, 5)).startsWith("ok\n").hasLineCount(2);
        assertThatThrownBy(() -> LogTail.of(binary, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
