package io.bakeguard.ledger.apdu;

import java.time.Duration;

/**
 * Sends one command APDU and returns its response (spec/ledger-baking-apdu.md s.8.1, layer 3). Not
 * thread safe: exactly one thread (the device's owner thread) uses a transport.
 */
public interface ApduTransport extends AutoCloseable {

    /**
     * @param command the complete command APDU ({@code CLA INS P1 P2 Lc DATA})
     * @param timeout how long to wait for the complete reply
     * @throws TransportException on any I/O failure or timeout; the transport is then unusable
     */
    ResponseApdu exchange(byte[] command, Duration timeout) throws TransportException;

    /** Where this transport goes: a HID path, {@code tcp://host:port}, {@code tls://host:port}. */
    String describe();

    @Override
    void close();
}
