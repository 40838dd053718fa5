package io.bakeguard.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deploy/systemd/bakeguard.service: valid for systemd and hardened. */
class SystemdUnitTest {
    static final Path UNIT = DeployFiles.file("systemd/bakeguard.service");

    /** The [Service] settings of the unit (last value wins, as systemd reads single-valued keys). */
    static Map<String, String> service() {
        Map<String, String> out = new LinkedHashMap<>();
        boolean inService = false;
        for (String line : DeployFiles.text(UNIT).split("\n")) {
            String l = line.strip();
            if (l.startsWith("[")) {
                inService = l.equals("[Service]");
            } else if (inService && !l.isEmpty() && !l.startsWith("#")) {
                int eq = l.indexOf('=');
                String key = l.substring(0, eq);
                String value = l.substring(eq + 1);
                out.merge(key, value, (a, b) -> key.equals("SystemCallFilter") ? a + "\n" + b : b);
            }
        }
        return out;
    }

    /**
     * A root directory holding the unit, systemd's own units and an executable at ExecStart's path, so
     * that {@code systemd-analyze verify --root} checks the unit as installed (this machine has no
     * /opt/bakeguard).
     */
    static Path installedRoot(Path tmp, String unitText) throws IOException {
        Path root = tmp.resolve("root");
        Path bin = root.resolve("opt/bakeguard/bin/bakeguard");
        Files.createDirectories(bin.getParent());
        Files.writeString(bin, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path units = root.resolve("etc/systemd/system");
        Files.createDirectories(units);
        Files.writeString(units.resolve("bakeguard.service"), unitText);
        Path systemUnits = Path.of("/usr/lib/systemd/system");
        Path target = root.resolve("usr/lib/systemd/system");
        Files.createDirectories(target);
        if (Files.isDirectory(systemUnits)) {
            try (Stream<Path> s = Files.list(systemUnits)) {
                for (Path p : s.filter(Files::isRegularFile).toList()) {
                    Files.copy(p, target.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return root;
    }

    static Commands.Result verify(Path root) {
        var analyze = Commands.which("systemd-analyze");
        assumeTrue(
                analyze.isPresent(),
                "systemd-analyze is not installed: skipping the unit verification;"
                        + " theUnitIsHardened checks the same file's settings without it");
        return Commands.run(
                Duration.ofSeconds(60), analyze.get().toString(), "verify", "--root=" + root, "bakeguard.service");
    }

    @Test
    void systemdAnalyzeVerifiesTheUnitWithoutAnyComplaint(@TempDir Path tmp) throws IOException {
        Commands.Result r = verify(installedRoot(tmp, DeployFiles.text(UNIT)));
        assertThat(r.exit()).as(r.output()).isZero();
        // systemd-analyze exits 0 even for unknown keys, which it only prints: nothing may be printed.
        assertThat(r.output().strip()).isEmpty();
    }

    @Test
    void systemdAnalyzeComplainsAboutAMisspelledKeySoTheCheckAboveMeansSomething(@TempDir Path tmp) throws IOException {
        Commands.Result r = verify(
                installedRoot(tmp, DeployFiles.text(UNIT).replace("ProtectSystem=strict", "ProtectSystm=strict")));
        assertThat(r.output()).contains("Unknown key 'ProtectSystm'");
    }

    @Test
    void theUnitIsHardened() {
        Map<String, String> s = service();
        assertThat(s)
                .containsEntry("User", "bakeguard")
                .containsEntry("NoNewPrivileges", "yes")
                .containsEntry("ProtectSystem", "strict")
                .containsEntry("ProtectHome", "yes")
                .containsEntry("PrivateTmp", "yes")
                .containsEntry("CapabilityBoundingSet", "")
                .containsEntry("StateDirectory", "bakeguard")
                .containsEntry("ReadWritePaths", "/var/lib/bakeguard")
                .containsEntry(
                        "ExecStart", "/opt/bakeguard/bin/bakeguard serve --config /etc/bakeguard/bakeguard.yaml");
        assertThat(s.get("RestrictAddressFamilies")).contains("AF_INET", "AF_INET6", "AF_UNIX");
        assertThat(s.get("SystemCallFilter")).contains("@system-service");
        // The JIT needs writable+executable memory: MemoryDenyWriteExecute would break the JVM.
        assertThat(s).doesNotContainKey("MemoryDenyWriteExecute");
        assertThat(DeployFiles.text(UNIT)).contains("Not set: MemoryDenyWriteExecute=yes");
    }

    @Test
    void theSystemUserMatchesTheImagesUser() {
        String sysusers = DeployFiles.text(DeployFiles.file("systemd/bakeguard.sysusers"));
        assertThat(sysusers).contains("u bakeguard 10001:10001").contains("g bakeguard 10001");
    }
}
