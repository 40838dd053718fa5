package io.bakeguard.core.signer;

import static io.bakeguard.core.key.KeyVectors.hex;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bakeguard.core.crypto.Base58Check;
import io.bakeguard.core.crypto.Ecdsa;
import io.bakeguard.core.crypto.Prefix;
import io.bakeguard.core.key.Curve;
import io.bakeguard.core.key.KeyHashes;
import io.bakeguard.core.key.KeyVectors;
import io.bakeguard.core.key.PublicKey;
import io.bakeguard.core.key.SecretKey;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * vectors/signatures.json, taquito_published_signatures.json, bls.json and authentication.json:
 * the software signer reproduces every deterministic signature and every signature verifies.
 */
class SignatureVectorsTest {

    static Stream<JsonNode> signatures() {
        return KeyVectors.list(KeyVectors.load("signatures.json").get("signatures")).stream();
    }

    static Stream<JsonNode> taquitoSignatures() {
        return KeyVectors.list(
                KeyVectors.load("taquito_published_signatures.json").get("entries"))
                .stream();
    }

    static Stream<JsonNode> proofsOfPossession() {
        return KeyVectors.list(KeyVectors.load("bls.json").get("proofs_of_possession")).stream();
    }

    static Stream<JsonNode> taquitoBlsVectors() {
        return KeyVectors.list(
                KeyVectors.load("bls.json").get("published_taquito_vectors").get("entries"))
                .stream();
    }

    static Stream<JsonNode> authentications() {
        return KeyVectors.list(KeyVectors.load("authentication.json").get("vectors")).stream();
    }

    private static SoftwareSigner signer(String secretKey) throws Exception {
        return new SoftwareSigner(SecretKey.parse(secretKey, Optional.empty()));
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("signatures")
    void softwareSignerReproducesThePublishedSignature(JsonNode v) throws Exception {
        JsonNode key = KeyVectors.key(v.get("key_id").asText());
        SoftwareSigner s = signer(key.get("secret_key").asText());
        assertThat(s.publicKeyHash()).isEqualTo(v.get("public_key_hash").asText());
        assertThat(s.publicKey()).isEqualTo(v.get("public_key").asText());
        byte[] data = hex(v.get("message_hex").asText());
        String expected = v.get("signature").asText();
        String sig = s.sign(data, SignatureVersion.V3);
        // Ed25519, BLS and secp256k1 (RFC 6979 + low S) are deterministic in octez; P-256 is randomised in
        // octez, but this signer uses RFC 6979 + low S like the generator, so it reproduces it too.
        assertThat(sig).isEqualTo(expected);
        assertThat(hex(Base58Check.decodeAny(sig).payload()))
                .isEqualTo(v.get("signature_raw_hex").asText());
        assertThat(s.sign(data, SignatureVersion.V2)).isEqualTo(expected);
        if (s.curve() == Curve.BLS12_381) {
            assertThat(s.sign(data, SignatureVersion.V1))
                    .isEqualTo(v.get("signature_if_version_1_aug_scheme").asText());
        } else {
            assertThat(s.sign(data, SignatureVersion.V1)).isEqualTo(expected);
            assertThat(s.sign(data, SignatureVersion.V0)).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("signatures")
    void everyPublishedSignatureVerifiesAndTamperedDataDoesNot(JsonNode v) throws Exception {
        PublicKey pk = PublicKey.parse(v.get("public_key").asText());
        byte[] data = hex(v.get("message_hex").asText());
        String sig = v.get("signature").asText();
        assertThat(pk.verify(data, sig, SignatureVersion.V3)).isTrue();
        byte[] tampered = data.clone();
        tampered[tampered.length - 1] ^= 1;
        assertThat(pk.verify(tampered, sig, SignatureVersion.V3)).isFalse();
        if (pk.curve() == Curve.BLS12_381) {
            String aug = v.get("signature_if_version_1_aug_scheme").asText();
            assertThat(pk.verify(data, aug, SignatureVersion.V1)).isTrue();
            assertThat(pk.verify(data, aug, SignatureVersion.V3)).isFalse();
            assertThat(pk.verify(data, sig, SignatureVersion.V1)).isFalse();
            assertThat(pk.verify(data, sig, SignatureVersion.V0)).isFalse();
        } else {
            assertThat(pk.verify(data, v.get("signature_generic_sig_form").asText(), SignatureVersion.V3))
                    .isTrue();
        }
        if (v.has("s_is_low")) {
            Ecdsa ecdsa = pk.curve() == Curve.SECP256K1 ? Ecdsa.SECP256K1 : Ecdsa.P256;
            assertThat(ecdsa.isLowS(Base58Check.decodeAny(sig).payload()))
                    .isEqualTo(v.get("s_is_low").asBoolean());
        }
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("taquitoSignatures")
    void taquitoPublishedSignaturesAreReproducedAndVerify(JsonNode v) throws Exception {
        SoftwareSigner s = signer(v.get("secret_key").asText());
        assertThat(s.publicKeyHash()).isEqualTo(v.get("public_key_hash").asText());
        if (v.has("public_key")) {
            assertThat(s.publicKey()).isEqualTo(v.get("public_key").asText());
        }
        byte[] data = hex(v.get("signed_bytes_hex").asText());
        String sig = s.sign(data, SignatureVersion.V3);
        String expected = v.has("curve_specific_form")
                ? v.get("curve_specific_form").asText()
                : v.get("expected_curve_specific_sig").asText();
        assertThat(sig).isEqualTo(expected);
        PublicKey pk = PublicKey.parse(s.publicKey());
        assertThat(pk.verify(data, expected, SignatureVersion.V3)).isTrue();
        if (v.has("expected_generic_sig")) {
            String generic = v.get("expected_generic_sig").asText();
            assertThat(Base58Check.encode(
                            Prefix.GENERIC_SIGNATURE, Base58Check.decodeAny(sig).payload()))
                    .isEqualTo(generic);
            assertThat(pk.verify(data, generic, SignatureVersion.V3)).isTrue();
        }
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("proofsOfPossession")
    void blsProofsOfPossessionMatchIncludingTheOverrideKey(JsonNode v) throws Exception {
        SoftwareSigner s = signer(
                KeyVectors.key(v.get("key_id").asText()).get("secret_key").asText());
        assertThat(s.publicKeyHash()).isEqualTo(v.get("public_key_hash").asText());
        String proof = s.provePossession(Optional.empty()).orElseThrow();
        assertThat(proof).isEqualTo(v.get("proof").asText());
        assertThat(hex(Base58Check.decodeAny(proof).payload()))
                .isEqualTo(v.get("proof_raw_hex").asText());
        String override = v.get("override_public_key").asText();
        String overrideProof = s.provePossession(Optional.of(override)).orElseThrow();
        assertThat(overrideProof).isEqualTo(v.get("proof_with_override").asText());
        assertThat(s.provePossession(Optional.of(s.publicKey()))).contains(proof);

        PublicKey pk = PublicKey.parse(v.get("public_key").asText());
        assertThat(pk.verifyProofOfPossession(proof)).isTrue();
        assertThat(pk.verifyProofOfPossession(overrideProof)).isFalse();
        assertThat(pk.verifyProofOfPossession(overrideProof, PublicKey.parse(override)))
                .isTrue();
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("taquitoBlsVectors")
    void taquitoPublishedBlsVectorsAreReproduced(JsonNode v) throws Exception {
        SoftwareSigner s = signer(v.get("secret_key").asText());
        assertThat(s.publicKey()).isEqualTo(v.get("public_key").asText());
        assertThat(s.publicKeyHash()).isEqualTo(v.get("public_key_hash").asText());
        assertThat(s.provePossession(Optional.empty()))
                .contains(v.get("expected_proof_of_possession").asText());
        assertThat(PublicKey.parse(s.publicKey())
                        .verifyProofOfPossession(
                                v.get("expected_proof_of_possession").asText()))
                .isTrue();
        if (v.has("expected_signature")) {
            byte[] msg = hex(v.get("message_hex").asText());
            assertThat(s.sign(msg, SignatureVersion.V3))
                    .isEqualTo(v.get("expected_signature").asText());
        }
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("authentications")
    void authenticationBytesAreRebuiltFromTheTaggedKeyHashAndTheSignatureVerifies(JsonNode v) throws Exception {
        byte[] data = hex(v.get("message_hex").asText());
        byte[] pkh21 = KeyHashes.toTagged21(v.get("signing_key_pkh").asText());
        byte[] toSign = new byte[2 + pkh21.length + data.length];
        toSign[0] = 0x04;
        toSign[1] = 0x01;
        System.arraycopy(pkh21, 0, toSign, 2, pkh21.length);
        System.arraycopy(data, 0, toSign, 2 + pkh21.length, data.length);
        assertThat(hex(toSign)).isEqualTo(v.get("bytes_signed_by_client_hex").asText());

        JsonNode auth = v.get("authorized_key");
        PublicKey authorized = PublicKey.parse(auth.get("public_key").asText());
        assertThat(authorized.hash()).isEqualTo(auth.get("public_key_hash").asText());
        String expected = v.get("authentication_signature").asText();
        assertThat(authorized.verify(toSign, expected, SignatureVersion.LATEST)).isTrue();
        assertThat(authorized.verify(data, expected, SignatureVersion.LATEST)).isFalse();
        assertThat(signer(auth.get("secret_key").asText()).sign(toSign, SignatureVersion.LATEST))
                .isEqualTo(expected);
    }
}
