package io.bakeguard.core.request;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.bakeguard.core.policy.KeyPolicy;

/**
 * Jazzer fuzzing of the decoder and the policy check. Without {@code JAZZER_FUZZ=1} Jazzer runs the
 * inputs of the seed corpus (here none, so one empty input) as a regression test; with it, it
 * fuzzes for {@code maxDuration}. Only {@link DecodingException} may escape.
 */
class RequestDecoderFuzzTest {
    private static final KeyPolicy PERMISSIVE;

    static {
        try {
            PERMISSIVE = KeyPolicy.parse(
                    java.util.List.of("block", "preattestation", "attestation", "endorsement"),
                    java.util.Arrays.stream(OperationKind.values())
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
