package io.bakeguard.ledger.hid;

/** A HID frame that does not belong to the exchange being reassembled (spec/ledger-baking-apdu.md s.2.3). */
public final class HidFrameException extends Exception {
    private static final long serialVersionUID = 1L;

    public HidFrameException(String message) {
        super(message);
    }
}
