package io.bakeguard.ledger.signer;

import io.bakeguard.ledger.apdu.ApduTransport;
import java.io.IOException;
import java.util.List;

/**
 * Where Ledger devices can be reached: HID enumeration, a Speculos-framed TCP port, or a TLS bridge.
 * The signer identifies each candidate by its root key before using it.
 */
public interface DeviceConnector {

    /** One reachable device, not yet opened. */
    interface Candidate {
        /** A HID path or an address, for logs and the metric's {@code device} label. */
        String label();

        ApduTransport open() throws IOException;
    }

    /** A fresh list of candidates (a new enumeration for HID). */
    List<Candidate> candidates() throws IOException;

    /** What this connector reaches ({@code hid}, {@code tcp://...}). */
    String describe();
}
