package io.bakeguard.ledger.hid;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.hid4java.HidDevice;
import org.hid4java.HidException;
import org.hid4java.HidManager;
import org.hid4java.HidServices;
import org.hid4java.HidServicesSpecification;
import org.hid4java.ScanMode;

/**
 * Real USB HID through hid4java 0.8.0 (spec/ledger-baking-apdu.md s.6): no background scanner, no
 * auto data read, no shutdown hook (the owner thread closes its handles itself).
 */
public final class Hid4javaDeviceFinder implements LedgerDeviceFinder {
    private static volatile HidServices services;

    private static HidServices services() throws IOException {
        HidServices s = services;
        if (s == null) {
            synchronized (Hid4javaDeviceFinder.class) {
                s = services;
                if (s == null) {
                    HidServicesSpecification spec = new HidServicesSpecification();
                    spec.setAutoStart(false);
                    spec.setScanMode(ScanMode.NO_SCAN);
                    spec.setAutoDataRead(false);
                    spec.setAutoShutdown(false);
                    try {
                        s = HidManager.getHidServices(spec);
                    } catch (HidException | UnsatisfiedLinkError e) {
                        throw new IOException("cannot load hidapi (hid4java): " + e.getMessage(), e);
                    }
                    services = s;
                }
            }
        }
        return s;
    }

    @Override
    public List<HidDeviceInfo> enumerate() throws IOException {
        List<HidDeviceInfo> out = new ArrayList<>();
        for (HidDevice d : services().getAttachedHidDevices()) {
            HidDeviceInfo info = info(d);
            if (info.isLedgerApduInterface()) {
                out.add(info);
            }
        }
        return out;
    }

    @Override
    public HidIo open(HidDeviceInfo device) throws IOException {
        for (HidDevice d : services().getAttachedHidDevices()) {
            if (d.getPath().equals(device.path())) {
                if (!d.open()) {
                    throw new IOException("cannot open " + device.path() + ": " + d.getLastErrorMessage()
                            + " (check the udev rule for hidraw, spec s.1)");
                }
                return new Hid4javaIo(d);
            }
        }
        throw new IOException("device " + device.path() + " is gone");
    }

    private static HidDeviceInfo info(HidDevice d) {
        return new HidDeviceInfo(
                d.getPath(),
                d.getVendorId(),
                d.getProductId(),
                d.getUsagePage(),
                d.getInterfaceNumber(),
                d.getProduct() == null ? "" : d.getProduct(),
                d.getSerialNumber() == null ? "" : d.getSerialNumber());
    }

    /** An opened hid4java handle. */
    static final class Hid4javaIo implements HidIo {
        private final HidDevice device;

        Hid4javaIo(HidDevice device) {
            this.device = device;
        }

        @Override
        public void write(byte[] frame) throws IOException {
            if (frame.length != HidFrameCodec.FRAME_SIZE) {
                throw new IllegalArgumentException("frames are 64 bytes");
            }
            // hid4java prepends the report-ID byte 0x00 itself and counts it (s.2.4).
            int n = device.write(frame, HidFrameCodec.FRAME_SIZE, (byte) 0x00);
            if (n < 0) {
                throw new IOException("HID write failed on " + device.getPath() + ": " + device.getLastErrorMessage());
            }
        }

        @Override
        public int read(byte[] buf, int timeoutMs) throws IOException {
            int n;
            if (timeoutMs <= 0) {
                device.setNonBlocking(true);
                try {
                    n = device.read(buf);
                } finally {
                    device.setNonBlocking(false);
                }
            } else {
                n = device.read(buf, timeoutMs);
            }
            if (n < 0) {
                throw new IOException("HID read failed on " + device.getPath() + ": " + device.getLastErrorMessage());
            }
            if (n > 0 && n != HidFrameCodec.FRAME_SIZE) {
                throw new IOException("HID read returned " + n + " bytes, expected 64");
            }
            return n;
        }

        @Override
        public String path() {
            return device.getPath();
        }

        @Override
        public void close() {
            device.close();
        }
    }
}
