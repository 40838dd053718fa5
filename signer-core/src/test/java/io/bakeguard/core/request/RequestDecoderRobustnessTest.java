package io.bakeguard.core.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.bakeguard.core.policy.KeyPolicy;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Truncated, extended and mutated requests give either a valid decode or a {@link
 * DecodingException}; never another exception (fixed seeds, bounded counts).
 */
class RequestDecoderRobustnessTest {
    private static final int MUTATIONS_PER_VECTOR = 400;

    /** Decodes and, when it decodes, runs the policy: only DecodingException may escape. */
    static boolean decodesOrRefuses(byte[] bytes) {
        try {
            SigningRequest r = RequestDecoder.decode(bytes);
            KeyPolicy.defaults().check(r);
            return true;
        } catch (DecodingException e) {
            assertThat(e.getMessage()).contains(" at offset ");
            assertThat(e.offset()).isBetween(0, bytes.length);
            return false;
        } catch (RuntimeException | Error e) {
            fail("decoding " + bytes.length + " bytes threw " + e, e);
            return false;
        }
    }

    @Test
    void everyProperPrefixOfEveryConsensusVectorIsRefused() {
        for (byte[] v : Vectors.allRequestBytes()) {
            int magic = v[0] & 0xff;
            if (magic != 0x11 && magic != 0x12 && magic != 0x13) {
                continue;
            }
            for (int len = 0; len < v.length; len++) {
                assertThat(decodesOrRefuses(Arrays.copyOf(v, len)))
                        .as("prefix of %d bytes of a 0x%02x request", len, magic)
                        .isFalse();
            }
        }
    }

    @Test
    void aProperPrefixOfAGenericOperationDecodesOnlyWhenItEndsBetweenContents() throws Exception {
        int checked = 0;
        for (byte[] v : Vectors.allRequestBytes()) {
            if ((v[0] & 0xff) != 0x03 || !decodesOrRefuses(v)) {
                continue; // the two vectors in the pre-Rio layout are refused whole
            }
            List<OperationKind> full = ((SigningRequest.GenericOperation) RequestDecoder.decode(v)).operations();
            for (int len : prefixLengths(v)) {
                byte[] prefix = Arrays.copyOf(v, len);
                if (decodesOrRefuses(prefix)) {
                    List<OperationKind> kinds =
                            ((SigningRequest.GenericOperation) RequestDecoder.decode(prefix)).operations();
                    assertThat(kinds.size()).isLessThan(full.size());
                    assertThat(full.subList(0, kinds.size())).isEqualTo(kinds);
                }
            }
            checked++;
        }
        assertThat(checked).isGreaterThan(10);
    }

    @Test
    void everyPrefixOfEveryVectorGivesADecodeOrATypedError() {
        for (byte[] v : Vectors.allRequestBytes()) {
            for (int len : prefixLengths(v)) {
                decodesOrRefuses(Arrays.copyOf(v, len));
            }
        }
    }

    /**
     * Every proper prefix length; for the one long batch (8583 bytes) every length of its first 1024
     * bytes and its last 256, and every 7th in between, to keep the test fast.
     */
    static int[] prefixLengths(byte[] v) {
        if (v.length <= 1280) {
            return java.util.stream.IntStream.range(0, v.length).toArray();
        }
        return java.util.stream.IntStream.range(0, v.length)
                .filter(len -> len < 1024 || len >= v.length - 256 || len % 7 == 0)
                .toArray();
    }

    @Test
    void everyVectorWithAnExtraTrailingByteIsRefusedUnlessItsLayoutIsOpenEnded() {
        for (byte[] v : Vectors.allRequestBytes()) {
            byte[] longer = Arrays.copyOf(v, v.length + 1);
            int magic = v[0] & 0xff;
            boolean decoded = decodesOrRefuses(longer);
            if (magic == 0x11 || magic == 0x12 || magic == 0x13) {
                assertThat(decoded).isFalse();
            }
        }
    }

    @Test
    void randomMutationsOfEveryVectorDecodeOrGiveATypedError() {
        Random rnd = new Random(0xBADC0DEL);
        List<byte[]> vectors = Vectors.allRequestBytes();
        int decoded = 0;
        int refused = 0;
        for (byte[] v : vectors) {
            for (int i = 0; i < MUTATIONS_PER_VECTOR; i++) {
                byte[] m = mutate(v, rnd);
                if (decodesOrRefuses(m)) {
                    decoded++;
                } else {
                    refused++;
                }
            }
        }
        // Both outcomes occur: the mutations reach past the first checks.
        assertThat(decoded).isPositive();
        assertThat(refused).isPositive();
    }

    @Test
    void randomGarbageDecodesOrGivesATypedError() {
        Random rnd = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[rnd.nextInt(300)];
            rnd.nextBytes(b);
            if (b.length > 0 && rnd.nextBoolean()) {
                b[0] = (byte) new int[] {0x01, 0x02, 0x03, 0x11, 0x12, 0x13}[rnd.nextInt(6)];
            }
            decodesOrRefuses(b);
        }
    }

    static byte[] mutate(byte[] v, Random rnd) {
        byte[] m = v.clone();
        int kind = rnd.nextInt(4);
        switch (kind) {
            case 0 -> m[rnd.nextInt(m.length)] = (byte) rnd.nextInt(256);
            case 1 -> {
                int n = 1 + rnd.nextInt(4);
                for (int i = 0; i < n; i++) {
                    int at = rnd.nextInt(m.length);
                    m[at] ^= (byte) (1 << rnd.nextInt(8));
                }
            }
            case 2 -> {
                int at = rnd.nextInt(m.length);
                byte[] interesting = {0x00, (byte) 0xff, (byte) 0x80, 0x7f, 0x20, 0x21, 0x25, 0x01};
                m[at] = interesting[rnd.nextInt(interesting.length)];
            }
            default -> {
                int cut = rnd.nextInt(m.length);
                m = Arrays.copyOf(m, cut);
            }
        }
        return m;
    }
}
