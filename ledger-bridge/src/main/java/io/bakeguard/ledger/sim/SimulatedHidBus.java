package io.bakeguard.ledger.sim;

import io.bakeguard.ledger.hid.HidDeviceInfo;
import io.bakeguard.ledger.hid.HidIo;
import io.bakeguard.ledger.hid.LedgerDeviceFinder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A USB bus with simulated Ledgers on it. Each plugged device enumerates as a Nano S Plus APDU
 * interface plus a FIDO interface that the filter must skip (spec/ledger-baking-apdu.md s.1); its
 * path carries the plug generation, so it changes on every replug as {@code /dev/hidrawN} does.
 */
public final class SimulatedHidBus implements LedgerDeviceFinder {
    private final List<SimulatedLedger> devices = new CopyOnWriteArrayList<>();
    private final AtomicInteger opens = new AtomicInteger();

    public SimulatedHidBus(SimulatedLedger... devices) {
        this.devices.addAll(List.of(devices));
    }

    public void add(SimulatedLedger device) {
        devices.add(device);
    }

    @Override
    public List<HidDeviceInfo> enumerate() {
        List<HidDeviceInfo> out = new ArrayList<>();
        for (SimulatedLedger d : devices) {
            if (d.plugged()) {
                String base = "sim-hid:" + d.name() + "#" + d.generation();
                out.add(new HidDeviceInfo(base + "/1", 0x2C97, 0x5015, 0xF1D0, 1, "Nano S Plus", d.name()));
                HidDeviceInfo apdu = new HidDeviceInfo(base + "/0", 0x2C97, 0x5015, 0xFFA0, 0, "Nano S Plus", d.name());
                out.add(apdu);
            }
        }
        return out.stream().filter(HidDeviceInfo::isLedgerApduInterface).toList();
    }

    @Override
    public HidIo open(HidDeviceInfo info) throws IOException {
        for (SimulatedLedger d : devices) {
            String base = "sim-hid:" + d.name() + "#" + d.generation() + "/0";
            if (d.plugged() && base.equals(info.path())) {
                opens.incrementAndGet();
                return new InMemoryHidDevice(d, d.generation(), info.path());
            }
        }
        throw new IOException("cannot open " + info.path() + ": no such device (ENODEV)");
    }

    /** How many handles were opened so far (reconnects show up here). */
    public int openCount() {
        return opens.get();
    }
}
