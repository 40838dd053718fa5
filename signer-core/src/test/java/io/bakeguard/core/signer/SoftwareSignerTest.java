package io.bakeguard.core.signer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bakeguard.core.key.KeyVectors;
import io.bakeguard.core.key.SecretKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SoftwareSignerTest {

    private static SoftwareSigner signer(String id) throws Exception {
        return new SoftwareSigner(
                SecretKey.parse(KeyVectors.key(id).get("secret_key").asText(), Optional.empty()));
    }

    @Test
    void blsKeyRefusesSignatureVersionZero() throws Exception {
        SoftwareSigner s = signer("tz4_tezt");
        assertThatThrownBy(() -> s.sign(new byte[] {0x13, 1, 2}, SignatureVersion.V0))
                .isInstanceOf(SigningException.class)
                .hasMessageContaining("version 0");
    }

    @Test
    void nonBlsKeysHaveNoProofOfPossession() throws Exception {
        assertThat(signer("tz1_bootstrap1").provePossession(Optional.empty())).isEmpty();
        assertThat(signer("tz2_octez_test").provePossession(Optional.empty())).isEmpty();
        assertThat(signer("tz3_octez_test").provePossession(Optional.empty())).isEmpty();
    }

    @Test
    void proofOfPossessionOverrideMustBeAValidBlsKey() throws Exception {
        SoftwareSigner s = signer("tz4_tezt");
        assertThatThrownBy(() -> s.provePossession(Optional.of(
                        KeyVectors.key("tz1_bootstrap1").get("public_key").asText())))
                .isInstanceOf(SigningException.class)
                .hasMessageContaining("BLpk");
        assertThatThrownBy(() -> s.provePossession(Optional.of("BLpkNOPE")))
                .isInstanceOf(SigningException.class)
                .hasMessageContaining("invalid proof-of-possession public key");
    }

    @Test
    void describesItselfByCurveAndHashOnly() throws Exception {
        SoftwareSigner s = signer("tz2_octez_test");
        assertThat(s.toString())
                .contains("secp256k1", "tz2")
                .doesNotContain(
                        KeyVectors.key("tz2_octez_test").get("secret_key").asText());
    }

    @Test
    void concurrentSigningGivesTheSameSignaturesAsSequentialSigning() throws Exception {
        List<SoftwareSigner> signers = List.of(
                signer("tz1_bootstrap1"), signer("tz2_octez_test"), signer("tz3_octez_test"), signer("tz4_tezt"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (SoftwareSigner s : signers) {
                List<byte[]> messages = new ArrayList<>();
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < 32; i++) {
                    byte[] m = {0x12, 0x7a, (byte) i, (byte) (i * 7)};
                    messages.add(m);
                    expected.add(s.sign(m, SignatureVersion.V3));
                }
                List<Future<String>> results = new ArrayList<>();
                for (byte[] m : messages) {
                    results.add(pool.submit(() -> s.sign(m, SignatureVersion.V3)));
                }
                for (int i = 0; i < results.size(); i++) {
                    assertThat(results.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(expected.get(i));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
