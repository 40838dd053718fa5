package io.bakeguard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bakeguard.core.key.Curve;
import io.bakeguard.core.key.SecretKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build's benchmark smoke run: a few hundred signatures through the real load tool against the
 * in-process floor signer. It checks that the tool works end to end and reports what it measured; it
 * asserts nothing about speed.
 */
class LoadToolSmokeTest {
    @TempDir
    Path dir;

    @Test
    void aShortRunAgainstTheFloorSignerReportsEveryRequestAsSignedAndVerified() throws Exception {
        List<SecretKey> keys = new ArrayList<>();
        SecureRandom rnd = new SecureRandom(new byte[] {1});
        for (int i = 0; i < 8; i++) {
            keys.add(SecretKey.generate(Curve.ED25519, rnd));
        }
        try (FloorServer floor = FloorServer.start(0, 2, keys)) {
            Path list = dir.resolve("pkhs.txt");
            Files.write(list, floor.keyHashes());
            Path json = dir.resolve("out/report.json");
            Report r = LoadTool.run(new String[] {
                "--target", floor.uri().toString(),
                "--key-list", list.toString(),
                "--concurrency", "4",
                "--requests", "300",
                "--warmup", "0s",
                "--kind", "consensus",
                "--verify-every", "1",
                "--json", json.toString()
            });
            assertThat(r.errors()).isEmpty();
            assertThat(r.ok()).isEqualTo(300);
            assertThat(r.total().getTotalCount()).isEqualTo(300);
            JsonNode n = SignerBackend.json(Files.readString(json));
            assertThat(n.path("ok").asLong()).isEqualTo(300);
            assertThat(n.path("errors").asLong()).isZero();
            assertThat(n.path("latency_ms").path("count").asLong()).isEqualTo(300);
            for (String p : List.of("p50", "p90", "p99", "p99_9", "max")) {
                assertThat(n.path("latency_ms").path(p).isNumber()).as(p).isTrue();
            }
            assertThat(r.text()).contains("ok=300 errors=0").contains("p99.9");
        }
    }

    @Test
    void aBurstSignsForEveryKeyOncePerBurstAndReportsItsCompletionTime() throws Exception {
        List<SecretKey> keys = new ArrayList<>();
        SecureRandom rnd = new SecureRandom(new byte[] {2});
        for (int i = 0; i < 20; i++) {
            keys.add(SecretKey.generate(Curve.ED25519, rnd));
        }
        try (FloorServer floor = FloorServer.start(0, 2, keys)) {
            SignerBackend b = SignerBackend.connect(List.of(floor.uri()), floor.keyHashes(), 5000, 1);
            LoadDriver.Spec spec = new LoadDriver.Spec(
                    20,
                    5,
                    java.time.Duration.ofMinutes(1),
                    0,
                    java.time.Duration.ZERO,
                    ConsensusRequests.Kind.ATTESTATION,
                    1,
                    3,
                    1,
                    false);
            LoadDriver.Result res = new LoadDriver(b, spec).run();
            assertThat(res.errors()).isEmpty();
            assertThat(res.ok()).isEqualTo(60);
            assertThat(res.burstMillis()).hasSize(3);
            assertThat(b.verifiedSignatures()).isEqualTo(80); // the warm-up burst is verified too
        }
    }

    @Test
    void aSecondRunFromTheSameLevelsIsRefusedByTheWatermarkAndCountedAsErrors() throws Exception {
        SecretKey k = SecretKey.generate(Curve.ED25519, new SecureRandom(new byte[] {3}));
        try (FloorServer floor = FloorServer.start(0, 1, List.of(k))) {
            SignerBackend b = SignerBackend.connect(List.of(floor.uri()), floor.keyHashes(), 5000, 0);
            LoadDriver.Spec spec = oneBakerFromLevel1(java.time.Duration.ofMinutes(1), 20, java.time.Duration.ZERO);
            assertThat(new LoadDriver(b, spec).run().errors()).isEmpty();
            // levels 1..19 again (the mark is at 20): every one is below the high watermark
            LoadDriver.Spec below = oneBakerFromLevel1(spec.duration(), 19, spec.warmup());
            LoadDriver.Result again = new LoadDriver(b, below).run();
            assertThat(again.ok()).isZero();
            assertThat(again.errors()).containsEntry("sign 409", 19L);
        }
    }

    @Test
    void aProfiledRunReportsCpuPerSignatureAndSaysWhyPhasesAreMissing() throws Exception {
        SecretKey k = SecretKey.generate(Curve.ED25519, new SecureRandom(new byte[] {4}));
        try (FloorServer floor = FloorServer.start(0, 1, List.of(k))) {
            SignerBackend b = SignerBackend.connect(List.of(floor.uri()), floor.keyHashes(), 5000, 0);
            LoadDriver.Spec spec =
                    oneBakerFromLevel1(java.time.Duration.ofMillis(600), 0, java.time.Duration.ofMillis(200));
            List<String> calls = new ArrayList<>();
            // The floor has no /metrics: the profile says so and the run still counts.
            RunProfile profile = new RunProfile(
                    java.util.Map.of("load tool and floor", ProcessHandle.current()),
                    java.util.Optional.of(floor.uri()));
            LoadDriver.Result res = new LoadDriver(b, spec)
                    .observedBy(new LoadDriver.Window() {
                        @Override
                        public void begin() {
                            calls.add("begin");
                            profile.begin();
                        }

                        @Override
                        public void end() {
                            calls.add("end");
                            profile.end();
                        }
                    })
                    .run();
            assertThat(calls).containsExactly("begin", "end");
            assertThat(res.errors()).isEmpty();
            Report r = LoadTool.report("profiled", b, "floor", spec, res, java.time.Instant.now(), "?");
            assertThat(profile.text(r))
                    .contains("load tool and floor")
                    .contains("ms of CPU per op")
                    .contains("replica's phases not read: GET " + floor.uri() + "/metrics answered 404");
            Path json = dir.resolve("profiled.json");
            r.writeJson(json, o -> profile.addTo(o, r));
            JsonNode cpu = SignerBackend.json(Files.readString(json)).path("cpu");
            assertThat(cpu.path("cpu_seconds").path("load tool and floor").isNumber())
                    .isTrue();
            assertThat(cpu.path("window_seconds").asDouble()).isPositive();
        }
    }

    /** One baker, one key, attestations from level 1 in steady mode; {@code requests} 0 means bounded by time only. */
    private static LoadDriver.Spec oneBakerFromLevel1(
            java.time.Duration duration, long requests, java.time.Duration warmup) {
        return new LoadDriver.Spec(
                1, 1, duration, requests, warmup, ConsensusRequests.Kind.ATTESTATION, 1, 0, 0, false);
    }
}
