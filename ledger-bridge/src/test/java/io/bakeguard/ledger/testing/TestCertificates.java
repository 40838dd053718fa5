package io.bakeguard.ledger.testing;

import io.bakeguard.ledger.bridge.TlsMaterial;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Self-signed EC P-256 certificates made in the test with Bouncy Castle (bcpkix). */
public final class TestCertificates {
    private TestCertificates() {}

    /** A key pair and its self-signed certificate. */
    public record Identity(KeyPair keys, X509Certificate certificate) {
        /** TLS material presenting this identity and trusting {@code trusted}. */
        public TlsMaterial material(X509Certificate... trusted) {
            return new TlsMaterial(new X509Certificate[] {certificate}, keys.getPrivate(), List.of(trusted));
        }

        /** Writes {@code cert.pem} and {@code key.pem} (PKCS#8) under {@code dir}. */
        public void writePem(Path dir, String name) throws Exception {
            Files.writeString(dir.resolve(name + ".crt"), pem("CERTIFICATE", certificate.getEncoded()));
            Files.writeString(
                    dir.resolve(name + ".key"),
                    pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        }
    }

    public static Identity selfSigned(String cn) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        X500Name name = new X500Name("CN=" + cn);
        long now = System.currentTimeMillis();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                name,
                BigInteger.valueOf(now),
                new Date(now - 60_000),
                new Date(now + 86_400_000L),
                name,
                kp.getPublic());
        X509Certificate cert = new JcaX509CertificateConverter()
                .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
        return new Identity(kp, cert);
    }

    public static String pem(String type, byte[] der) {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + b64 + "\n-----END " + type + "-----\n";
    }
}
