package io.bakeguard.raft;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Mutual TLS between replicas (Ratis gRPC, spec/ratis.md s.1.9). Every replica presents
 * {@code certificate} and accepts only peers whose certificate chains to {@code trust}: use a
 * private CA dedicated to the cluster, because Ratis does not map certificate subjects to peer ids.
 * The certificate must name the host of the replica's raft address (DNS or IP subject alternative
 * name): peers verify it like any TLS server name.
 *
 * @param certificate PEM certificate (chain) of this replica
 * @param privateKey PEM PKCS#8 private key of this replica
 * @param trust PEM certificate(s) of the cluster CA
 */
public record RaftTls(Path certificate, Path privateKey, Path trust) {
    public RaftTls {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(trust, "trust");
    }
}
