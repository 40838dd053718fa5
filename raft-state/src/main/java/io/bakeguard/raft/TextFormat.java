package io.bakeguard.raft;

import java.util.function.IntPredicate;

/**
 * A string format of the entry codec and the log record format: between {@code min} and {@code max} code points,
 * each one allowed by a character class. It accepts exactly what the equivalent regular expression
 * {@code [class]{min,max}} accepts (code points, so a surrogate pair counts once), without the regex engine that
 * showed up in the apply path's profile (docs/performance.md).
 */
record TextFormat(int min, int max, IntPredicate allowed) {

    static final TextFormat BASE58 = new TextFormat(1, 128, TextFormat::isBase58);
    static final TextFormat HEX_64 = new TextFormat(64, 64, c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    static final TextFormat PEER_ID = new TextFormat(1, 64, c -> isAlphanumeric(c) || c == '.' || c == '_' || c == '-');
    static final TextFormat LABEL =
            new TextFormat(1, 32, c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-');
    /** No control character (what {@code \p{Cntrl}} means in Java: U+0000 to U+001F and U+007F). */
    static final TextFormat PRINTABLE = new TextFormat(1, 128, c -> c > 0x1f && c != 0x7f);

    boolean matches(String s) {
        if (s.length() < min) {
            return false;
        }
        int count = 0;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            if (++count > max || !allowed.test(c)) {
                return false;
            }
            i += Character.charCount(c);
        }
        return count >= min;
    }

    private static boolean isAlphanumeric(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    /** The Bitcoin base58 alphabet: digits 1-9 and letters without 0, O, I and l. */
    private static boolean isBase58(int c) {
        return (c >= '1' && c <= '9')
                || (c >= 'A' && c <= 'Z' && c != 'I' && c != 'O')
                || (c >= 'a' && c <= 'z' && c != 'l');
    }
}
