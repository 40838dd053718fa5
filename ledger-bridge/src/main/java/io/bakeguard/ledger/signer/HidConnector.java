package io.bakeguard.ledger.signer;

import io.bakeguard.ledger.apdu.ApduTransport;
import io.bakeguard.ledger.apdu.HidApduTransport;
import io.bakeguard.ledger.hid.HidDeviceInfo;
import io.bakeguard.ledger.hid.LedgerDeviceFinder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Ledgers on USB HID: every enumerated APDU interface is a candidate. */
public final class HidConnector implements DeviceConnector {
    private final LedgerDeviceFinder finder;

    public HidConnector(LedgerDeviceFinder finder) {
        this.finder = finder;
    }

    @Override
    public List<Candidate> candidates() throws IOException {
        List<Candidate> out = new ArrayList<>();
        for (HidDeviceInfo info : finder.enumerate()) {
            out.add(new Candidate() {
                @Override
                public String label() {
                    return info.path();
                }

                @Override
                public ApduTransport open() throws IOException {
                    return new HidApduTransport(finder.open(info));
                }
            });
        }
        return out;
    }

    @Override
    public String describe() {
        return "hid";
    }
}
