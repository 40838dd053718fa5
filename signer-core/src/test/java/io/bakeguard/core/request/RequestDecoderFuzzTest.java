package io.bakeguard.core.request;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.bakeguard.core.policy.KeyPolicy;
import java.util.Arrays;
import java.util.List;

/**
 * Jazzer fuzzing of the decoder and the policy check. By default Jazzer runs the seed inputs in
 * src/test/resources/.../RequestDecoderFuzzTestInputs as a regression test; with {@code
 * JAZZER_FUZZ=1 ./mvnw test -pl signer-core -Dtest=RequestDecoderFuzzTest} it fuzzes for {@code
 * maxDuration}. Only {@link DecodingException} may escape.
 */
class RequestDecoderFuzzTest {
    private static final KeyPolicy PERMISSIVE;

    static {
        try {
            PERMISSIVE = KeyPolicy.parse(
                    List.of("block", "preattestation", "attestation", "endorsement"),
                    Arrays.stream(OperationKind.values())
                            .map(OperationKind::policyName)
                            .toList(),
                    null,
                    "allow");
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @FuzzTest(maxDuration = "10s")
    void decodeAndPolicyCheckThrowOnlyDecodingException(byte[] input) {
        SigningRequest r;
        try {
            r = RequestDecoder.decode(input);
        } catch (DecodingException expected) {
            return;
        }
        KeyPolicy.defaults().check(r);
        PERMISSIVE.check(r, "tz1KqTpEZ7Yob7QbPE4Hy4Wo8fHG8LhKxZSx");
    }
}
