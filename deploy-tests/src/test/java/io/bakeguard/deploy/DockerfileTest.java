package io.bakeguard.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** deploy/docker: both Dockerfiles build the same runtime image. */
class DockerfileTest {
    static String text(String name) {
        return DeployFiles.text(DeployFiles.file("docker/" + name));
    }

    /** The instructions of the last stage, without comments and without COPY (the two differ there). */
    static List<String> runtimeStage(String dockerfile) {
        String last = dockerfile.substring(dockerfile.lastIndexOf("\nFROM "));
        return Arrays.stream(last.replace("\\\n", " ").split("\n"))
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#") && !l.startsWith("COPY "))
                .map(l -> l.replaceAll("\\s+", " "))
                .toList();
    }

    @Test
    void theSourceAndThePrebuiltDockerfilesShareTheirRuntimeStage() {
        assertThat(runtimeStage(text("Dockerfile"))).isEqualTo(runtimeStage(text("Dockerfile.prebuilt")));
    }

    @Test
    void theImageRunsAsANonRootUserWithAVolumeAndAHealthCheckOnHealthz() {
        List<String> stage = runtimeStage(text("Dockerfile"));
        assertThat(stage).contains("FROM ${BASE_IMAGE}", "USER 10001:10001", "VOLUME [\"/var/lib/bakeguard\"]");
        assertThat(stage).anyMatch(l -> l.startsWith("HEALTHCHECK ") && l.contains("/healthz"));
        assertThat(stage).anyMatch(l -> l.startsWith("ENTRYPOINT ") && l.contains("/opt/bakeguard/bin/bakeguard"));
        assertThat(text("Dockerfile"))
                .contains("ARG BASE_IMAGE=bakeguard-base:bookworm")
                .contains("ARG BUILD_IMAGE=bakeguard-build:bookworm")
                .contains("COPY --from=build /src/http-api/target/bakeguard/ /opt/bakeguard/");
    }

    @Test
    void theBaseImageScriptDebootstrapsBookwormWithAHeadlessJre() {
        String script = text("base-image.sh");
        assertThat(script)
                .contains("debootstrap --variant=minbase")
                .contains("openjdk-17-jre-headless")
                .contains("openjdk-17-jdk-headless")
                .contains("docker import")
                .contains("bakeguard-base:bookworm")
                .contains("bakeguard-build:bookworm");
    }
}
