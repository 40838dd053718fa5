package io.bakeguard.ledger.hid;

import java.io.IOException;
import java.util.List;

/** Enumerates the APDU interfaces of the Ledger devices plugged in and opens them. */
public interface LedgerDeviceFinder {

    /** A fresh enumeration, filtered to Ledger APDU interfaces. */
    List<HidDeviceInfo> enumerate() throws IOException;

    /** Opens one enumerated device. */
    HidIo open(HidDeviceInfo device) throws IOException;
}
