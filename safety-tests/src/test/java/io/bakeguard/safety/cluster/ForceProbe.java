package io.bakeguard.safety.cluster;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Child process of {@link SlowDiskTest}: writes a byte, forces it to disk, prints how long the force took (ms). */
public final class ForceProbe {
    private ForceProbe() {}

    public static void main(String[] args) throws Exception {
        try (FileChannel c = FileChannel.open(
                Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            c.write(ByteBuffer.wrap(new byte[] {42}));
            long t0 = System.nanoTime();
            c.force(Boolean.parseBoolean(args[1]));
            System.out.println((System.nanoTime() - t0) / 1_000_000);
        }
    }
}
