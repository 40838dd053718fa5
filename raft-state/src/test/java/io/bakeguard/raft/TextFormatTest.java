package io.bakeguard.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The codec's formats replaced regular expressions; a replica on the old and one on the new code must accept exactly
 * the same entries (an entry one refuses and another applies would split their state), so each format is checked
 * against the expression it replaced, on edge cases and on many random strings.
 */
class TextFormatTest {
    private static final Map<TextFormat, Pattern> REPLACED = Map.of(
            TextFormat.BASE58, Pattern.compile("[1-9A-HJ-NP-Za-km-z]{1,128}"),
            TextFormat.HEX_64, Pattern.compile("[0-9a-f]{64}"),
            TextFormat.PEER_ID, Pattern.compile("[A-Za-z0-9._-]{1,64}"),
            TextFormat.LABEL, Pattern.compile("[a-z0-9_-]{1,32}"),
            TextFormat.PRINTABLE, Pattern.compile("[^\\p{Cntrl}]{1,128}"));

    /** Characters at and around every class boundary, controls, non-ASCII, and both halves of a surrogate pair. */
    private static final String POOL = "0123456789:;@AHIJNOPZ[`aklmnoz{~\u007f\u0000\u001f \t\n\r._-/\\\u00e9\u0100"
            + "\u2028\ud83d\ude00\ud800\udfff";

    @Test
    void edgeCasesAgreeWithTheReplacedExpressions() {
        List<String> cases = List.of(
                "",
                "a",
                "0".repeat(64),
                "0".repeat(63),
                "0".repeat(65),
                "A".repeat(64),
                "a".repeat(128),
                "a".repeat(129),
                "1".repeat(32),
                "1".repeat(33),
                "\ud83d\ude00".repeat(128),
                "\ud83d\ude00".repeat(129),
                "\ud83d\ude00".repeat(64) + "a".repeat(64),
                "\ud800",
                "\udfff\ud800",
                "tz1VSUr8wwNhLAzempoch5d6hLRiTh8Cjcjb",
                "NetXdQprcVkpaWU",
                "n1",
                "n-1.a_B",
                "attestation",
                "ab\u007f",
                "ab\u0085");
        for (String s : cases) {
            REPLACED.forEach((format, regex) -> assertThat(format.matches(s))
                    .as("%s on '%s'", regex, s)
                    .isEqualTo(regex.matcher(s).matches()));
        }
    }

    @Test
    void randomStringsAgreeWithTheReplacedExpressions() {
        Random random = new Random(20261122);
        int[] accepted = new int[1];
        for (int i = 0; i < 40_000; i++) {
            int length = random.nextInt(140);
            StringBuilder b = new StringBuilder(length);
            // Mostly one class's characters, so that long accepted strings occur too, with a few from the whole pool.
            String source = random.nextBoolean() ? "123456789ABCHJNPZabkmz" : POOL;
            for (int j = 0; j < length; j++) {
                b.append(source.charAt(random.nextInt(source.length())));
            }
            String s = b.toString();
            REPLACED.forEach((format, regex) -> {
                boolean expected = regex.matcher(s).matches();
                assertThat(format.matches(s)).as("%s on '%s'", regex, s).isEqualTo(expected);
                accepted[0] += expected ? 1 : 0;
            });
        }
        assertThat(accepted[0]).as("some random strings are accepted").isGreaterThan(1000);
    }
}
