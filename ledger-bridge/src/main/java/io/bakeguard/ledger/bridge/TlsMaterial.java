package io.bakeguard.ledger.bridge;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * This side's certificate chain and key, and the certificates it trusts (the peer's self-signed
 * certificate or a CA). Built from PEM files, as the rest of the config names them
 * ({@code certificate}, {@code private-key}, {@code trust}).
 */
public record TlsMaterial(X509Certificate[] chain, PrivateKey key, List<X509Certificate> trusted) {
    public TlsMaterial {
        if (chain.length == 0) {
            throw new IllegalArgumentException("empty certificate chain");
        }
        chain = chain.clone();
        trusted = List.copyOf(trusted);
    }

    @Override
    public X509Certificate[] chain() {
        return chain.clone();
    }

    /** PEM files: certificate chain, PKCS#8 private key ({@code BEGIN PRIVATE KEY}), trusted certificates. */
    public static TlsMaterial fromPem(Path certificate, Path privateKey, Path trust) throws IOException {
        try {
            List<X509Certificate> chain = readCertificates(certificate);
            return new TlsMaterial(
                    chain.toArray(new X509Certificate[0]), readPrivateKey(privateKey), readCertificates(trust));
        } catch (GeneralSecurityException e) {
            throw new IOException(
                    "bad TLS material (" + certificate + ", " + privateKey + ", " + trust + "): " + e.getMessage(), e);
        }
    }

    static List<X509Certificate> readCertificates(Path pem) throws IOException, CertificateException {
        try (InputStream in = Files.newInputStream(pem)) {
            List<X509Certificate> out = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new CertificateException("no certificate in " + pem);
            }
            return out;
        }
    }

    static PrivateKey readPrivateKey(Path pem) throws IOException, GeneralSecurityException {
        String text = Files.readString(pem, StandardCharsets.US_ASCII);
        int b = text.indexOf("-----BEGIN PRIVATE KEY-----");
        int e = text.indexOf("-----END PRIVATE KEY-----");
        if (b < 0 || e < b) {
            throw new GeneralSecurityException(pem + " holds no PKCS#8 'BEGIN PRIVATE KEY' block");
        }
        byte[] der = Base64.getMimeDecoder().decode(text.substring(b + 27, e));
        for (String alg : new String[] {"EC", "RSA", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException tryNext) {
                // not this algorithm
            }
        }
        throw new GeneralSecurityException(pem + ": unsupported private key algorithm (EC, RSA, Ed25519)");
    }

    private KeyManagerFactory keyManagers() throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        char[] pw = new char[0];
        ks.setKeyEntry("key", key, pw, chain);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
        return kmf;
    }

    X509TrustManager pkixTrustManager() throws GeneralSecurityException, IOException {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        int i = 0;
        for (X509Certificate c : trusted) {
            ts.setCertificateEntry("trusted-" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ts);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no X509 trust manager");
    }

    /** Replica side: presents our certificate, trusts the bridge by the trusted certificates. */
    public SSLContext clientContext() throws GeneralSecurityException, IOException {
        SSLContext ctx = SSLContext.getInstance("TLSv1.3");
        ctx.init(keyManagers().getKeyManagers(), new TrustManager[] {pkixTrustManager()}, new SecureRandom());
        return ctx;
    }

    /** Bridge side: presents our certificate, accepts only clients on the allow-list. */
    public SSLContext serverContext(CertificateAllowList allow) throws GeneralSecurityException, IOException {
        SSLContext ctx = SSLContext.getInstance("TLSv1.3");
        ctx.init(
                keyManagers().getKeyManagers(),
                new TrustManager[] {new AllowListTrustManager(allow, trusted.isEmpty() ? null : pkixTrustManager())},
                new SecureRandom());
        return ctx;
    }
}
