package io.bakeguard.safety.run;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * What a run does.
 *
 * @param replicas 3 or 5
 * @param duration how long the load runs at least (longer if the planned faults have not all been injected yet)
 * @param seed seeds the fault schedule and the bakers' choices
 * @param faults how many faults to inject
 * @param bakers concurrent bakers
 * @param keys software keys (alternately Ed25519 and secp256k1)
 * @param requestTimeout the replicas' {@code signer.request-timeout}
 * @param reportDir where the run directory (configs, replica logs, history, report) is created
 * @param classpath the replica JVMs' classpath
 * @param jvmOptions the replica JVMs' options
 * @param maxDuration the load stops then even if planned faults remain (default: three times the duration plus
 *     ten minutes)
 */
public record RunSettings(
        int replicas,
        Duration duration,
        long seed,
        int faults,
        int bakers,
        int keys,
        Duration requestTimeout,
        Path reportDir,
        String classpath,
        List<String> jvmOptions,
        Duration maxDuration) {

    public RunSettings {
        if (replicas != 3 && replicas != 5) {
            throw new IllegalArgumentException("safety.replicas must be 3 or 5, got " + replicas);
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("safety.duration must be positive, got " + duration);
        }
        if (faults < 0 || bakers < 1 || keys < 1) {
            throw new IllegalArgumentException("need faults >= 0, bakers >= 1, keys >= 1");
        }
        jvmOptions = List.copyOf(jvmOptions);
        if (maxDuration.compareTo(duration) < 0) {
            throw new IllegalArgumentException("safety.maxDuration must be at least safety.duration");
        }
    }

    /** The replica JVM options used unless {@code safety.jvmOptions} says otherwise: small heaps, serial GC. */
    public static final List<String> DEFAULT_JVM_OPTIONS =
            List.of("-Xms160m", "-Xmx320m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k");

    /**
     * Reads {@code safety.replicas}, {@code safety.duration} (e.g. {@code 75s}, {@code 20m}), {@code safety.seed},
     * {@code safety.faults}, {@code safety.bakers}, {@code safety.keys}, {@code safety.requestTimeout},
     * {@code safety.reportDir}, {@code safety.classpath} (default: this JVM's class path) and
     * {@code safety.jvmOptions} (space separated) and {@code safety.maxDuration}.
     */
    public static RunSettings fromProperties(Properties p) {
        String jvm = p.getProperty("safety.jvmOptions");
        Duration duration = duration(p.getProperty("safety.duration", "75s"));
        String max = p.getProperty("safety.maxDuration");
        return new RunSettings(
                intProp(p, "safety.replicas", 3),
                duration,
                Long.parseLong(p.getProperty("safety.seed", "20261121").trim()),
                intProp(p, "safety.faults", 15),
                intProp(p, "safety.bakers", 8),
                intProp(p, "safety.keys", 2),
                duration(p.getProperty("safety.requestTimeout", "1s")),
                Path.of(p.getProperty("safety.reportDir", "target/safety")),
                p.getProperty("safety.classpath", System.getProperty("java.class.path")),
                jvm == null || jvm.isBlank()
                        ? DEFAULT_JVM_OPTIONS
                        : List.of(jvm.trim().split("\\s+")),
                max == null || max.isBlank() ? duration.multipliedBy(3).plusMinutes(10) : duration(max));
    }

    private static int intProp(Properties p, String name, int def) {
        String v = p.getProperty(name);
        try {
            return v == null || v.isBlank() ? def : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, got '" + v + "'", e);
        }
    }

    /** {@code 500ms}, {@code 75s}, {@code 20m}, {@code 1h}. */
    static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            switch (t.charAt(t.length() - 1)) {
                case 's':
                    return Duration.ofSeconds(n);
                case 'm':
                    return Duration.ofMinutes(n);
                case 'h':
                    return Duration.ofHours(n);
                default:
                    break;
            }
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            // falls through to the error below
        }
        throw new IllegalArgumentException("expected a duration such as 500ms, 75s, 20m or 1h, got '" + text + "'");
    }

    /** The run directory's name: replicas and seed, so runs do not overwrite each other. */
    public String runName() {
        return "run-" + replicas + "r-seed" + seed;
    }
}
