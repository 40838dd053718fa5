package io.bakeguard.ledger.apdu;

import java.io.IOException;

/**
 * The exchange did not complete: the device is gone, the reply did not arrive in time, or the bytes
 * on the wire were not a valid reply. After this the transport must be closed and reopened.
 */
public class TransportException extends IOException {
    private static final long serialVersionUID = 1L;

    public TransportException(String message) {
        super(message);
    }

    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
