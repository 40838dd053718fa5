package io.bakeguard.ledger.hid;

import java.io.IOException;

/**
 * One opened HID handle of a Ledger's APDU interface (spec/ledger-baking-apdu.md s.8.1, layer 2). Not
 * thread safe: exactly one thread uses a handle (s.6, threading model).
 */
public interface HidIo extends AutoCloseable {

    /** Writes one 64-byte frame (without any report-ID byte). */
    void write(byte[] frame) throws IOException;

    /**
     * Reads one 64-byte report into {@code buf}.
     *
     * @return 64, or 0 when nothing arrived within {@code timeoutMs} ({@code 0} = do not wait)
     * @throws IOException when the device is gone
     */
    int read(byte[] buf, int timeoutMs) throws IOException;

    /** The device path this handle was opened on. */
    String path();

    @Override
    void close();
}
