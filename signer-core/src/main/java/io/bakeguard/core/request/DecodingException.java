package io.bakeguard.core.request;

/**
 * The request bytes are not a valid signing request. The message says which field at which offset,
 * so the HTTP layer can return it as a 400 as is.
 */
public final class DecodingException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int offset;

    public DecodingException(String field, int offset, String problem) {
        super(field + " at offset " + offset + ": " + problem);
        this.offset = offset;
    }

    /** Byte offset in the request where decoding failed. */
    public int offset() {
        return offset;
    }
}
