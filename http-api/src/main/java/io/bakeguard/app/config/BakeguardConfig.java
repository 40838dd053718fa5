package io.bakeguard.app.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The whole of {@code bakeguard.yaml} (design.md s.3) as one typed tree. Absent values take their
 * defaults here; {@link ConfigLoader} reads, overrides from the environment and validates.
 * Relative paths are resolved against the config file's directory by the loader.
 */
public record BakeguardConfig(
        NodeConfig node,
        List<ClusterMember> cluster,
        SignerConfig signer,
        AdminConfig admin,
        RaftConfig raft,
        List<KeyEntry> keys) {

    public BakeguardConfig {
        cluster = cluster == null ? List.of() : List.copyOf(cluster);
        signer = signer == null ? SignerConfig.defaults() : signer;
        admin = admin == null ? AdminConfig.defaults() : admin;
        raft = raft == null ? new RaftConfig(null, null, null) : raft;
        keys = keys == null ? List.of() : List.copyOf(keys);
    }

    /** {@code node:} this replica. */
    public record NodeConfig(
            String id, @JsonProperty("data-dir") Path dataDir) {}

    /** One entry of {@code cluster:}, the same list on every replica. */
    public record ClusterMember(String id, String raft, Optional<String> admin) {
        public ClusterMember {
            admin = admin == null ? Optional.empty() : admin;
        }
    }

    /** {@code tls:} of the signer API (PEM certificate chain and PKCS#8 PEM private key). */
    public record TlsConfig(
            Path certificate, @JsonProperty("private-key") Path privateKey) {}

    /** {@code signer:} the Tezos remote signer API. */
    public record SignerConfig(
            String listen,
            Optional<TlsConfig> tls,
            @JsonProperty("authorized-keys") List<String> authorizedKeys,
            @JsonProperty("request-timeout") Duration requestTimeout,
            @JsonProperty("allow-known-keys") Boolean allowKnownKeys,
            @JsonProperty("allow-prove-possession") Boolean allowProvePossession,
            @JsonProperty("max-connections") Integer maxConnections,
            @JsonProperty("max-in-flight") Integer maxInFlight,
            @JsonProperty("idle-timeout") Duration idleTimeout,
            @JsonProperty("read-timeout") Duration readTimeout,
            @JsonProperty("signing-threads") Integer signingThreads) {
        public SignerConfig {
            listen = listen == null ? "0.0.0.0:6732" : listen;
            tls = tls == null ? Optional.empty() : tls;
            authorizedKeys = authorizedKeys == null ? List.of() : List.copyOf(authorizedKeys);
            requestTimeout = requestTimeout == null ? Duration.ofSeconds(2) : requestTimeout;
            allowKnownKeys = allowKnownKeys != null && allowKnownKeys;
            allowProvePossession = allowProvePossession != null && allowProvePossession;
            maxConnections = maxConnections == null ? 256 : maxConnections;
            maxInFlight = maxInFlight == null ? 64 : maxInFlight;
            idleTimeout = idleTimeout == null ? Duration.ofSeconds(120) : idleTimeout;
            readTimeout = readTimeout == null ? Duration.ofSeconds(10) : readTimeout;
            signingThreads = signingThreads == null ? 4 : signingThreads;
        }

        public static SignerConfig defaults() {
            return new SignerConfig(null, null, null, null, null, null, null, null, null, null, null);
        }
    }

    /** {@code admin:} the admin API ({@code /metrics}, {@code /healthz}, {@code /readyz}, {@code /admin/...}). */
    public record AdminConfig(
            String listen,
            @JsonProperty("token-file") Optional<Path> tokenFile,
            @JsonProperty("max-connections") Integer maxConnections,
            @JsonProperty("idle-timeout") Duration idleTimeout,
            @JsonProperty("read-timeout") Duration readTimeout) {
        public AdminConfig {
            listen = listen == null ? "127.0.0.1:9583" : listen;
            tokenFile = tokenFile == null ? Optional.empty() : tokenFile;
            maxConnections = maxConnections == null ? 32 : maxConnections;
            idleTimeout = idleTimeout == null ? Duration.ofSeconds(120) : idleTimeout;
            readTimeout = readTimeout == null ? Duration.ofSeconds(10) : readTimeout;
        }

        public static AdminConfig defaults() {
            return new AdminConfig(null, null, null, null, null);
        }
    }

    /** {@code raft:} peer traffic settings. */
    public record RaftConfig(
            Optional<RaftTlsConfig> tls,
            @JsonProperty("election-timeout-min") Duration electionTimeoutMin,
            @JsonProperty("election-timeout-max") Duration electionTimeoutMax) {
        public RaftConfig {
            tls = tls == null ? Optional.empty() : tls;
        }

        public Optional<Duration> electionMin() {
            return Optional.ofNullable(electionTimeoutMin);
        }

        public Optional<Duration> electionMax() {
            return Optional.ofNullable(electionTimeoutMax);
        }
    }

    /** Mutual TLS (PEM files): {@code raft.tls:} between replicas, {@code keys[].tls:} to a ledger bridge. */
    public record RaftTlsConfig(
            Path certificate, @JsonProperty("private-key") Path privateKey, Path trust) {}

    /**
     * One entry of {@code keys:}: exactly one of {@code secret-key-file}, {@code octez-secret-keys} or
     * {@code ledger}. A ledger entry reached through {@code transport: tls://host:port} (a {@code
     * bakeguard ledger bridge}) takes {@code tls: {certificate, private-key, trust}} (PEM files).
     */
    public record KeyEntry(
            @JsonProperty("secret-key-file") Optional<Path> secretKeyFile,
            @JsonProperty("password-file") Optional<Path> passwordFile,
            @JsonProperty("octez-secret-keys") Optional<Path> octezSecretKeys,
            Optional<String> ledger,
            Optional<String> transport,
            Optional<RaftTlsConfig> tls,
            Optional<PolicyConfig> policy) {
        public KeyEntry {
            tls = tls == null ? Optional.empty() : tls;
            secretKeyFile = secretKeyFile == null ? Optional.empty() : secretKeyFile;
            passwordFile = passwordFile == null ? Optional.empty() : passwordFile;
            octezSecretKeys = octezSecretKeys == null ? Optional.empty() : octezSecretKeys;
            ledger = ledger == null ? Optional.empty() : ledger;
            transport = transport == null ? Optional.empty() : transport;
            policy = policy == null ? Optional.empty() : policy;
        }
    }

    /**
     * {@code policy:} of a key. Absent lists take the default: consensus kinds only, no operations,
     * every chain, first use denied.
     */
    public record PolicyConfig(
            List<String> kinds,
            List<String> operations,
            List<String> chains,
            @JsonProperty("first-use") String firstUse) {
        public PolicyConfig {
            kinds = kinds == null ? List.of("block", "preattestation", "attestation") : List.copyOf(kinds);
            operations = operations == null ? List.of() : List.copyOf(operations);
            chains = chains == null ? List.of() : List.copyOf(chains);
            firstUse = firstUse == null ? "deny" : firstUse;
        }

        public static PolicyConfig defaults() {
            return new PolicyConfig(null, null, null, null);
        }
    }
}
