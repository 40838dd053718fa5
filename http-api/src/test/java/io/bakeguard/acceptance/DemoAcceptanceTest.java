package io.bakeguard.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import io.bakeguard.testkit.LoopbackPorts;
import io.bakeguard.testkit.ServeJvm;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bakeguard demo} as a user runs it: the commands it prints work. */
class DemoAcceptanceTest {
    @TempDir
    Path dir;

    @Test
    void theDemoStartsThreeReplicasAndTheCommandsItPrintsWork() throws Exception {
        // The demo takes three consecutive ports from each base; find bases with three free ports.
        int signer = consecutiveFree();
        int admin = consecutiveFree();
        int raft = consecutiveFree();
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                ServeJvm.MAIN_CLASS,
                "demo",
                "--dir",
                dir.resolve("bakeguard-demo").toString(),
                "--signer-port",
                String.valueOf(signer),
                "--admin-port",
                String.valueOf(admin),
                "--raft-port",
                String.valueOf(raft)));
        Path out = dir.resolve("out.txt");
        Process demo = new ProcessBuilder(cmd)
                .redirectOutput(out.toFile())
                .redirectError(dir.resolve("err.txt").toFile())
                .start();
        try {
            String text = "";
            long end = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (!text.contains("Stop with Ctrl-C") && System.nanoTime() < end && demo.isAlive()) {
                Thread.sleep(200);
                text = Files.readString(out);
            }
            assertThat(text).as(Files.readString(dir.resolve("err.txt"))).contains("Stop with Ctrl-C");
            Path key = dir.resolve("bakeguard-demo/demo.key");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
                    .isEqualTo("rw-------");
            List<String[]> posts = new ArrayList<>();
            Matcher m = Pattern.compile("-d '\"([0-9a-f]+)\"' (http://\\S+)").matcher(text);
            while (m.find()) {
                posts.add(new String[] {m.group(1), m.group(2)});
            }
            assertThat(posts).hasSize(2);
            // As a baker would, retry a 503 (it signed nothing) a bounded number of times: the
            // first request on a cold, loaded machine can miss the deadline.
            HttpResponse<String> first = post(posts.get(0)[1], posts.get(0)[0]);
            for (int i = 0; i < 5 && first.statusCode() == 503; i++) {
                first = post(posts.get(0)[1], posts.get(0)[0]);
            }
            assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
            assertThat(post(posts.get(0)[1], posts.get(0)[0]).body()).isEqualTo(first.body());
            HttpResponse<String> conflict = post(posts.get(1)[1], posts.get(1)[0]);
            assertThat(conflict.statusCode()).isEqualTo(409);
            Matcher pk = Pattern.compile("curl -s (http://\\S+/keys/tz1\\w+)").matcher(text);
            assertThat(pk.find()).isTrue();
            assertThat(BakeguardProcess.HTTP
                            .send(
                                    HttpRequest.newBuilder(URI.create(pk.group(1)))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body())
                    .contains("\"public_key\":\"edpk");
        } finally {
            demo.destroy(); // SIGTERM, like Ctrl-C: the shutdown hook stops the replicas
            if (!demo.waitFor(30, TimeUnit.SECONDS)) {
                demo.destroyForcibly();
            }
        }
    }

    private static HttpResponse<String> post(String url, String hex) throws Exception {
        return BakeguardProcess.HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("\"" + hex + "\""))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A base port with the two ports above it free too (bounded search). */
    private static int consecutiveFree() throws Exception {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = LoopbackPorts.one();
            if (base > 65000) {
                continue;
            }
            boolean free = true;
            for (int i = 1; i < 3 && free; i++) {
                try (java.net.ServerSocket s = new java.net.ServerSocket(base + i)) {
                    s.setReuseAddress(true);
                } catch (java.io.IOException e) {
                    free = false;
                }
            }
            if (free) {
                return base;
            }
        }
        throw new IllegalStateException("no three consecutive free ports found");
    }
}
