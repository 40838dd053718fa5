package io.bakeguard.core.request;

import java.util.Arrays;

/**
 * A cursor over untrusted request bytes. Every read checks the remaining length first and names the
 * field and the offset when it fails; lengths read from the input are only ever compared with what
 * is left, never used to allocate (spec/tezos-remote-signer.md s.3.1 for the primitive encodings).
 */
final class ByteReader {
    private final byte[] data;
    private int pos;

    ByteReader(byte[] data, int start) {
        this.data = data;
        this.pos = start;
    }

    int position() {
        return pos;
    }

    int remaining() {
        return data.length - pos;
    }

    boolean atEnd() {
        return pos == data.length;
    }

    void require(String field, int n) throws DecodingException {
        if (n < 0 || n > remaining()) {
            throw new DecodingException(
                    field,
                    pos,
                    remaining() == 0
                            ? "truncated: expected " + n + " more bytes, the request ends here"
                            : "truncated: expected " + n + " bytes, only " + remaining() + " left");
        }
    }

    int u8(String field) throws DecodingException {
        require(field, 1);
        return data[pos++] & 0xff;
    }

    int u16(String field) throws DecodingException {
        require(field, 2);
        int v = ((data[pos] & 0xff) << 8) | (data[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    int i32(String field) throws DecodingException {
        require(field, 4);
        int v = ((data[pos] & 0xff) << 24)
                | ((data[pos + 1] & 0xff) << 16)
                | ((data[pos + 2] & 0xff) << 8)
                | (data[pos + 3] & 0xff);
        pos += 4;
        return v;
    }

    /** A uint30 length prefix (4 bytes, big-endian); the value must fit in what is left. */
    int length(String field) throws DecodingException {
        int at = pos;
        int n = i32(field + " length");
        if (n < 0 || n > remaining()) {
            throw new DecodingException(
                    field + " length",
                    at,
                    "declares " + Integer.toUnsignedString(n) + " bytes but only " + remaining() + " follow");
        }
        return n;
    }

    byte[] bytes(String field, int n) throws DecodingException {
        require(field, n);
        byte[] out = Arrays.copyOfRange(data, pos, pos + n);
        pos += n;
        return out;
    }

    void skip(String field, int n) throws DecodingException {
        require(field, n);
        pos += n;
    }

    /** A length-prefixed byte string ({@code u32 len || bytes}) that the decoder does not interpret. */
    void skipSized(String field) throws DecodingException {
        int n = length(field);
        pos += n;
    }

    /**
     * An option tag: {@code 0x00} absent, {@code 0xff} present (Data_encoding). Anything else is
     * refused.
     */
    boolean option(String field) throws DecodingException {
        int at = pos;
        int b = u8(field);
        if (b == 0x00) {
            return false;
        }
        if (b == 0xff) {
            return true;
        }
        throw new DecodingException(field, at, String.format("option tag must be 0x00 or 0xff, got 0x%02x", b));
    }

    /**
     * Skips a Zarith natural (little-endian base 128, bit 7 = more bytes follow). As Data_encoding
     * does, refuses a last byte of zero after the first (a non-canonical encoding).
     */
    void skipZarithN(String field) throws DecodingException {
        int at = pos;
        int b = u8(field);
        if ((b & 0x80) != 0) {
            skipZarithTail(field, at);
        }
    }

    /**
     * Skips a Zarith integer (first byte: continuation bit 7, sign bit 6, 6 data bits).
     *
     * @param requireNonNegative refuse a set sign bit
     */
    void skipZarithZ(String field, boolean requireNonNegative) throws DecodingException {
        int at = pos;
        int first = u8(field);
        if (requireNonNegative && (first & 0x40) != 0) {
            throw new DecodingException(field, at, "must not be negative");
        }
        if ((first & 0x80) != 0) {
            skipZarithTail(field, at);
        }
    }

    /** The bytes after a first byte whose continuation bit was set. */
    private void skipZarithTail(String field, int start) throws DecodingException {
        while (true) {
            if (atEnd()) {
                throw new DecodingException(
                        field, start, "truncated Zarith number: the request ends before its last byte");
            }
            int b = data[pos++] & 0xff;
            if ((b & 0x80) == 0) {
                if (b == 0) {
                    throw new DecodingException(field, start, "non-canonical Zarith number (trailing zero byte)");
                }
                return;
            }
        }
    }
}
