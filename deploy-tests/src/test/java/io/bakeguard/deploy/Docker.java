package io.bakeguard.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The docker CLI, for the container tests. Testcontainers is not used: no registry is reachable here, so
 * nothing may be pulled (its Ryuk helper image included), and the images are built locally.
 */
final class Docker {
    static final Duration SHORT = Duration.ofSeconds(30);

    private Docker() {}

    /** Why the container tests cannot run here, or empty when they can. */
    static Optional<String> unavailable(String baseImage) {
        if (Commands.which("docker").isEmpty()) {
            return Optional.of("the docker CLI is not installed (.ci/prepare installs Debian's docker.io)");
        }
        Commands.Result info = Commands.run(Duration.ofSeconds(20), "docker", "info", "--format", "{{.ServerVersion}}");
        if (!info.ok()) {
            return Optional.of("no Docker daemon answers (.ci/prepare starts dockerd): " + firstLine(info.output()));
        }
        if (!Commands.run(SHORT, "docker", "image", "inspect", baseImage).ok()) {
            return Optional.of("the local base image " + baseImage
                    + " is missing: build it with deploy/docker/base-image.sh (no registry to pull from)");
        }
        return Optional.empty();
    }

    static String run(String... args) {
        return run(SHORT, args);
    }

    static String run(Duration timeout, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("docker");
        cmd.addAll(List.of(args));
        return Commands.check(timeout, cmd.toArray(String[]::new)).strip();
    }

    /** Runs docker ignoring failures (cleanup, best effort). */
    static void quietly(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("docker");
        cmd.addAll(List.of(args));
        Commands.run(SHORT, null, cmd);
    }

    /**
     * Copies {@code dir}'s content into a created container's {@code target}, owned by {@code uid} (the
     * daemon keeps the tar's owners): secret files must belong to the image's user and be 0600.
     */
    static void copyOwned(Path dir, String container, String target, int uid) {
        Commands.Result r = Commands.run(
                Duration.ofSeconds(60),
                null,
                List.of(
                        "sh",
                        "-c",
                        "tar --owner=" + uid + " --group=" + uid
                                + " --numeric-owner -C \"$1\" -cf - . | docker cp - \"$2\"",
                        "copy",
                        dir.toString(),
                        container + ":" + target));
        if (!r.ok()) {
            throw new AssertionError("copying " + dir + " into " + container + " failed:\n" + r.output());
        }
    }

    /** The host port (on 127.0.0.1) published for a container port. */
    static int hostPort(String container, int port) {
        String out = run("port", container, port + "/tcp");
        String first = out.split("\n")[0];
        return Integer.parseInt(first.substring(first.lastIndexOf(':') + 1));
    }

    private static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl > 0 ? t.substring(0, nl) : t;
    }
}
