package io.bakeguard.ledger.bridge;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which replicas may use a bridged Ledger: client certificates by SHA-256 fingerprint of the DER
 * encoding (pinning, no CA needed), or by subject DN (then the chain must also verify against the
 * bridge's trust anchors, since anyone can put any subject in a self-signed certificate).
 *
 * @param fingerprints lowercase hex SHA-256 fingerprints, without separators
 * @param subjects RFC 2253 subject names
 */
public record CertificateAllowList(Set<String> fingerprints, Set<String> subjects) {
    public CertificateAllowList {
        fingerprints =
                fingerprints.stream().map(CertificateAllowList::normalise).collect(Collectors.toUnmodifiableSet());
        subjects = Set.copyOf(subjects);
        for (String f : fingerprints) {
            if (!f.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("not a SHA-256 fingerprint: " + f);
            }
        }
    }

    /** Accepts {@code AB:CD:...} or plain hex, any case. */
    static String normalise(String fingerprint) {
        return fingerprint.replace(":", "").trim().toLowerCase(Locale.ROOT);
    }

    public static CertificateAllowList ofFingerprints(String... fingerprints) {
        return new CertificateAllowList(Set.of(fingerprints), Set.of());
    }

    /** Lowercase hex SHA-256 of the certificate's DER encoding. */
    public static String fingerprint(X509Certificate cert) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint certificate", e);
        }
    }

    boolean allowsByFingerprint(X509Certificate cert) {
        return fingerprints.contains(fingerprint(cert));
    }

    boolean allowsBySubject(X509Certificate cert) {
        return subjects.contains(cert.getSubjectX500Principal().getName());
    }
}
