package io.bakeguard.ledger.bridge;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.X509TrustManager;

/**
 * Accepts a client certificate when its fingerprint is allow-listed, or when its subject is
 * allow-listed and its chain verifies against the trust anchors. Everything else fails the handshake.
 */
final class AllowListTrustManager implements X509TrustManager {
    private final CertificateAllowList allow;
    private final X509TrustManager pkix;

    AllowListTrustManager(CertificateAllowList allow, X509TrustManager pkixOrNull) {
        this.allow = allow;
        this.pkix = pkixOrNull;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("no client certificate");
        }
        X509Certificate leaf = chain[0];
        leaf.checkValidity();
        if (allow.allowsByFingerprint(leaf)) {
            return;
        }
        if (allow.allowsBySubject(leaf) && pkix != null) {
            pkix.checkClientTrusted(chain, authType);
            return;
        }
        throw new CertificateException(
                "client certificate " + leaf.getSubjectX500Principal().getName() + " (sha256 "
                        + CertificateAllowList.fingerprint(leaf) + ") is not on the bridge's allow-list");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("this trust manager only checks clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return pkix == null ? new X509Certificate[0] : pkix.getAcceptedIssuers();
    }
}
