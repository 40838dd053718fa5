package io.bakeguard.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for servers that a harness names in configuration before they bind: replicas started as separate
 * processes, which take seconds to open their ports.
 *
 * <p>A port found with {@code bind(0)} and closed again is back in the kernel's ephemeral range: until the replica
 * binds it, the kernel may hand it to another {@code bind(0)} (the harness' own proxies) or use it as the local port of
 * an outgoing connection (replicas and health checks connecting to each other), and the replica then fails with
 * "Address already in use". So ports are taken from outside the ephemeral range (on Linux
 * {@code /proc/sys/net/ipv4/ip_local_port_range}), where the kernel never picks a port by itself, checked to be free
 * by binding them, and never handed out twice by one JVM.
 */
public final class LoopbackPorts {
    /** Where Linux keeps the ephemeral range: two numbers, low and high, inclusive. */
    static final Path LINUX_EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    /** The lowest port handed out: below it live the well-known and commonly configured services. */
    static final int LOWEST = 10_000;

    /** A range outside the ephemeral one is used only when it holds at least this many ports. */
    static final int MIN_RANGE = 1_000;

    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    /** A range of ports, both ends included. */
    record Range(int low, int high) {
        Range {
            if (low < 1 || high > 65_535 || low > high) {
                throw new IllegalArgumentException("not a port range: " + low + "-" + high);
            }
        }

        int size() {
            return high - low + 1;
        }

        @Override
        public String toString() {
            return low + "-" + high;
        }
    }

    private LoopbackPorts() {}

    /**
     * {@code n} distinct loopback ports, free when this returns and outside the kernel's ephemeral range.
     *
     * @throws IOException when {@code n} free ports were not found in a bounded number of tries
     */
    public static int[] reserve(int n) throws IOException {
        return reserve(n, candidates(readEphemeralRange(LINUX_EPHEMERAL_RANGE)));
    }

    /** One port, as {@link #reserve(int)} finds them. */
    public static int one() throws IOException {
        return reserve(1)[0];
    }

    static int[] reserve(int n, Range range) throws IOException {
        if (n < 1 || n > 1_000) {
            throw new IllegalArgumentException("n must be 1..1000, got " + n);
        }
        int[] ports = new int[n];
        List<ServerSocket> held = new ArrayList<>();
        int tries = 0;
        int maxTries = 64 * n;
        try {
            synchronized (HANDED_OUT) {
                for (int i = 0; i < n; ) {
                    if (++tries > maxTries) {
                        throw new IOException("found " + i + " of " + n + " free loopback ports in " + range + " after "
                                + maxTries + " tries");
                    }
                    int candidate = ThreadLocalRandom.current().nextInt(range.low(), range.high() + 1);
                    if (HANDED_OUT.contains(candidate)) {
                        continue;
                    }
                    Optional<ServerSocket> bound = tryBind(candidate);
                    if (bound.isPresent()) {
                        held.add(bound.get());
                        ports[i++] = candidate;
                    }
                }
                for (int p : ports) {
                    HANDED_OUT.add(p);
                }
            }
            return ports;
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
    }

    private static Optional<ServerSocket> tryBind(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        try {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return Optional.of(s);
        } catch (IOException inUse) {
            s.close();
            return Optional.empty();
        }
    }

    /**
     * Where ports are taken from: {@code [LOWEST, ephemeral low)} when it holds {@link #MIN_RANGE} ports, else
     * {@code (ephemeral high, 65535]}; without a known ephemeral range, below Linux' default one (32768-60999). An
     * ephemeral range that leaves no room on either side gives {@code [LOWEST, 65535]}: ports are still checked and
     * random, but the kernel may then take one before the replica binds it.
     */
    static Range candidates(Optional<Range> ephemeral) {
        Range e = ephemeral.orElse(new Range(32_768, 60_999));
        if (e.low() - LOWEST >= MIN_RANGE) {
            return new Range(LOWEST, e.low() - 1);
        }
        if (65_535 - e.high() >= MIN_RANGE) {
            return new Range(e.high() + 1, 65_535);
        }
        return new Range(LOWEST, 65_535);
    }

    /** The ephemeral range in {@code file} (Linux' format), empty when there is no such file. */
    static Optional<Range> readEphemeralRange(Path file) throws IOException {
        if (!Files.isReadable(file)) {
            return Optional.empty();
        }
        String text;
        // Not Files.readString: procfs files report size 0, and it then reads only part of the text.
        try (InputStream in = Files.newInputStream(file)) {
            text = new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
        }
        String[] parts = text.split("\\s+");
        try {
            if (parts.length != 2) {
                throw new NumberFormatException("expected two numbers");
            }
            return Optional.of(new Range(Integer.parseInt(parts[0]), Integer.parseInt(parts[1])));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " should hold two port numbers, low and high; it holds \"" + text + "\"", e);
        }
    }
}
