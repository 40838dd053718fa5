package io.bakeguard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bakeguard.testkit.LoopbackPorts.Range;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoopbackPortsTest {
    @Test
    void portsAreDistinctFreeAndOutsideTheEphemeralRange() throws IOException {
        Optional<Range> ephemeral = LoopbackPorts.readEphemeralRange(LoopbackPorts.LINUX_EPHEMERAL_RANGE);
        int[] ports = LoopbackPorts.reserve(12);
        assertThat(Arrays.stream(ports).distinct().count()).isEqualTo(12);
        for (int p : ports) {
            ephemeral.ifPresent(e -> assertThat(p < e.low() || p > e.high())
                    .as("%d outside %s", p, e)
                    .isTrue());
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), p));
            }
        }
    }

    @Test
    void aPortIsNeverHandedOutTwice() throws IOException {
        int[] first = LoopbackPorts.reserve(1);
        Range justThatPort = new Range(first[0], first[0]);
        assertThatThrownBy(() -> LoopbackPorts.reserve(1, justThatPort))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("found 0 of 1 free loopback ports in " + justThatPort);
    }

    @Test
    void aBoundPortIsSkippedAndTakenOnceFree() throws IOException {
        ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Range onlyBusy = new Range(busy.getLocalPort(), busy.getLocalPort());
        try {
            assertThatThrownBy(() -> LoopbackPorts.reserve(1, onlyBusy)).isInstanceOf(IOException.class);
        } finally {
            busy.close();
        }
        assertThat(LoopbackPorts.reserve(1, onlyBusy)).containsExactly(onlyBusy.low());
    }

    @Test
    void portsComeFromBelowTheEphemeralRangeElseAboveIt() {
        assertThat(LoopbackPorts.candidates(Optional.of(new Range(32_768, 60_999))))
                .isEqualTo(new Range(LoopbackPorts.LOWEST, 32_767));
        assertThat(LoopbackPorts.candidates(Optional.empty())).isEqualTo(new Range(LoopbackPorts.LOWEST, 32_767));
        assertThat(LoopbackPorts.candidates(Optional.of(new Range(10_500, 60_000))))
                .isEqualTo(new Range(60_001, 65_535));
        assertThat(LoopbackPorts.candidates(Optional.of(new Range(1_024, 65_000))))
                .as("no room outside: anywhere above LOWEST")
                .isEqualTo(new Range(LoopbackPorts.LOWEST, 65_535));
    }

    @Test
    void theEphemeralRangeFileIsReadOrRefusedClearly(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("ip_local_port_range");
        assertThat(LoopbackPorts.readEphemeralRange(f)).isEmpty();
        Files.writeString(f, "32768\t60999\n");
        assertThat(LoopbackPorts.readEphemeralRange(f)).contains(new Range(32_768, 60_999));
        for (String bad : new String[] {"", "32768", "a b", "1 2 3", "60999 32768", "0 100", "1 70000"}) {
            Files.writeString(f, bad);
            assertThatThrownBy(() -> LoopbackPorts.readEphemeralRange(f))
                    .as("%s", bad)
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("should hold two port numbers");
        }
    }

    @Test
    void aSillyCountIsRefused() {
        assertThatThrownBy(() -> LoopbackPorts.reserve(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LoopbackPorts.reserve(1_001)).isInstanceOf(IllegalArgumentException.class);
    }
}
