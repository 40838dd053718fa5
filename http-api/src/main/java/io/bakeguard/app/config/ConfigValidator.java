package io.bakeguard.app.config;

import io.bakeguard.app.config.BakeguardConfig.ClusterMember;
import io.bakeguard.app.config.BakeguardConfig.KeyEntry;
import io.bakeguard.app.config.BakeguardConfig.PolicyConfig;
import io.bakeguard.core.policy.KeyPolicy;
import io.bakeguard.core.policy.PolicyException;
import io.bakeguard.ledger.signer.LedgerUri;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks a bound {@link BakeguardConfig} once at start; every message names the key and the file. */
final class ConfigValidator {
    private static final Pattern TRANSPORT =
            Pattern.compile("(tcp|tls)://([^/\\s:\\[\\]]+|\\[[^/\\s\\]]+\\]):([0-9]{1,5})");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private ConfigValidator() {}

    static void validate(BakeguardConfig c, String file) throws ConfigException {
        if (c.node() == null || c.node().id() == null || c.node().id().isBlank()) {
            throw missing("node.id", file, "the id of this replica, one of the cluster ids");
        }
        if (!ID.matcher(c.node().id()).matches()) {
            throw bad(
                    "node.id",
                    file,
                    "use letters, digits, '-', '_' or '.', got '" + c.node().id() + "'");
        }
        if (c.node().dataDir() == null) {
            throw missing("node.data-dir", file, "the directory for the Raft log, snapshots and watermark log");
        }
        if (c.cluster().isEmpty()) {
            throw missing("cluster", file, "the list of replicas (one entry for a single replica)");
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < c.cluster().size(); i++) {
            ClusterMember m = c.cluster().get(i);
            String at = "cluster[" + i + "]";
            if (m == null || m.id() == null || !ID.matcher(m.id()).matches()) {
                throw bad(at + ".id", file, "each member needs an id of letters, digits, '-', '_' or '.'");
            }
            if (!ids.add(m.id())) {
                throw bad(at + ".id", file, "id '" + m.id() + "' appears twice");
            }
            if (m.raft() == null) {
                throw missing(at + ".raft", file, "the member's Raft address host:port");
            }
            hostPort(at + ".raft", m.raft(), file);
        }
        if (!ids.contains(c.node().id())) {
            throw bad("node.id", file, "'" + c.node().id() + "' is not in cluster " + ids);
        }
        hostPort("signer.listen", c.signer().listen(), file);
        HostPort admin = hostPort("admin.listen", c.admin().listen(), file);
        if (!admin.isLoopback() && c.admin().tokenFile().isEmpty()) {
            throw bad(
                    "admin.listen",
                    file,
                    admin + " is not a loopback address: set admin.token-file so that the admin API"
                            + " requires a bearer token, or listen on 127.0.0.1");
        }
        positive("signer.request-timeout", c.signer().requestTimeout(), Duration.ofMinutes(1), file);
        positive("signer.idle-timeout", c.signer().idleTimeout(), Duration.ofHours(24), file);
        positive("signer.read-timeout", c.signer().readTimeout(), Duration.ofMinutes(10), file);
        positive("admin.idle-timeout", c.admin().idleTimeout(), Duration.ofHours(24), file);
        positive("admin.read-timeout", c.admin().readTimeout(), Duration.ofMinutes(10), file);
        range("signer.max-connections", c.signer().maxConnections(), 1, 100_000, file);
        range("signer.max-in-flight", c.signer().maxInFlight(), 1, 100_000, file);
        range("signer.signing-threads", c.signer().signingThreads(), 1, 256, file);
        range("admin.max-connections", c.admin().maxConnections(), 1, 10_000, file);
        if (c.signer().tls().isPresent()) {
            var tls = c.signer().tls().get();
            if (tls.certificate() == null || tls.privateKey() == null) {
                throw missing("signer.tls", file, "both certificate and private-key (PEM files)");
            }
        }
        if (c.raft().tls().isPresent()) {
            var tls = c.raft().tls().get();
            if (tls.certificate() == null || tls.privateKey() == null || tls.trust() == null) {
                throw missing("raft.tls", file, "certificate, private-key and trust (PEM files)");
            }
        }
        if (c.raft().electionMin().isPresent() != c.raft().electionMax().isPresent()) {
            throw bad("raft.election-timeout-min", file, "set both election-timeout-min and election-timeout-max");
        }
        if (c.raft().electionMin().isPresent()
                && c.raft().electionMin().get().compareTo(c.raft().electionMax().get()) >= 0) {
            throw bad("raft.election-timeout-min", file, "must be below raft.election-timeout-max");
        }
        if (c.keys().isEmpty()) {
            throw missing("keys", file, "at least one key (secret-key-file, octez-secret-keys or ledger)");
        }
        for (int i = 0; i < c.keys().size(); i++) {
            key("keys[" + i + "]", c.keys().get(i), file);
        }
    }

    private static void key(String at, KeyEntry k, String file) throws ConfigException {
        if (k == null) {
            throw missing(at, file, "one of secret-key-file, octez-secret-keys or ledger");
        }
        int sources = (k.secretKeyFile().isPresent() ? 1 : 0)
                + (k.octezSecretKeys().isPresent() ? 1 : 0)
                + (k.ledger().isPresent() ? 1 : 0);
        if (sources != 1) {
            throw bad(at, file, "give exactly one of secret-key-file, octez-secret-keys or ledger");
        }
        if (k.passwordFile().isPresent() && k.ledger().isPresent()) {
            throw bad(at + ".password-file", file, "a ledger key takes no password");
        }
        if (k.tls().isPresent()
                && (k.tls().get().certificate() == null
                        || k.tls().get().privateKey() == null
                        || k.tls().get().trust() == null)) {
            throw missing(at + ".tls", file, "certificate, private-key and trust (PEM files)");
        }
        if (k.tls().isPresent() && !k.transport().orElse("").startsWith("tls://")) {
            throw bad(at + ".tls", file, "tls is only for a ledger reached with transport: tls://HOST:PORT");
        }
        if (k.transport().isPresent()
                && k.ledger().isEmpty()
                && k.octezSecretKeys().isEmpty()) {
            throw bad(at + ".transport", file, "transport is only for ledger keys");
        }
        if (k.ledger().isPresent()) {
            ledger(at, k, file);
        }
        PolicyConfig p = k.policy().orElse(PolicyConfig.defaults());
        try {
            KeyPolicy.parse(p.kinds(), p.operations(), p.chains(), p.firstUse());
        } catch (PolicyException e) {
            throw bad(at + ".policy", file, e.getMessage());
        }
    }

    /** {@code ledger:}, {@code transport:} and {@code tls:} of a ledger key entry. */
    private static void ledger(String at, KeyEntry k, String file) throws ConfigException {
        try {
            LedgerUri.parse(k.ledger().get());
        } catch (IllegalArgumentException e) {
            throw bad(
                    at + ".ledger",
                    file,
                    e.getMessage() + "; expected ledger://<root tz1 or short id>/<curve>/<path>, e.g."
                            + " ledger://tz1.../ed25519/0h/0h");
        }
        String transport = k.transport().orElse("hid").trim();
        boolean tls = false;
        if (!transport.equals("hid")) {
            Matcher m = TRANSPORT.matcher(transport);
            if (!m.matches()) {
                throw bad(
                        at + ".transport",
                        file,
                        "use hid, tcp://HOST:PORT or tls://HOST:PORT, got '" + transport + "'");
            }
            hostPort(at + ".transport", m.group(2) + ":" + m.group(3), file);
            tls = m.group(1).equals("tls");
        }
        if (tls && k.tls().isEmpty()) {
            throw missing(
                    at + ".tls",
                    file,
                    "certificate, private-key and trust (PEM files) for the " + transport + " bridge");
        }
    }

    private static HostPort hostPort(String key, String value, String file) throws ConfigException {
        try {
            return HostPort.parse(value);
        } catch (IllegalArgumentException e) {
            throw bad(key, file, e.getMessage());
        }
    }

    private static void positive(String key, Duration d, Duration max, String file) throws ConfigException {
        if (d.isZero() || d.isNegative() || d.compareTo(max) > 0) {
            throw bad(
                    key, file, "must be above 0 and at most " + Durations.format(max) + ", got " + Durations.format(d));
        }
    }

    private static void range(String key, int v, int min, int max, String file) throws ConfigException {
        if (v < min || v > max) {
            throw bad(key, file, "must be between " + min + " and " + max + ", got " + v);
        }
    }

    private static ConfigException missing(String key, String file, String what) {
        return new ConfigException("missing '" + key + "' in " + file + ": give " + what);
    }

    private static ConfigException bad(String key, String file, String why) {
        return new ConfigException("bad value for '" + key + "' in " + file + ": " + why);
    }
}
