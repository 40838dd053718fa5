package io.bakeguard.ledger.hid;

/**
 * One enumerated HID interface.
 *
 * @param path the OS path ({@code /dev/hidrawN}); changes on replug
 * @param vendorId USB vendor id
 * @param productId USB product id
 * @param usagePage HID usage page ({@code 0xFFA0} for the APDU interface)
 * @param interfaceNumber USB interface number (-1 when the OS does not say)
 * @param product product string, may be empty
 * @param serial serial number, may be empty
 */
public record HidDeviceInfo(
        String path, int vendorId, int productId, int usagePage, int interfaceNumber, String product, String serial) {

    public static final int LEDGER_VENDOR_ID = 0x2C97;
    public static final int APDU_USAGE_PAGE = 0xFFA0;

    /**
     * True for the APDU interface of a Ledger: vendor {@code 0x2C97}, then usage page {@code 0xFFA0},
     * else interface 0 (spec/ledger-baking-apdu.md s.1).
     */
    public boolean isLedgerApduInterface() {
        if (vendorId != LEDGER_VENDOR_ID) {
            return false;
        }
        if (usagePage == APDU_USAGE_PAGE) {
            return true;
        }
        // Some platforms do not report the usage page: fall back to interface 0, but never take an
        // interface that says it is something else (FIDO 0xF1D0).
        return interfaceNumber == 0 && (usagePage == 0 || usagePage == -1);
    }

    /** The Ledger model named by the product id (s.1), or "unknown". */
    public String model() {
        int legacy = productId;
        int mm = (productId >> 8) & 0xff;
        if (legacy == 0x0001 || mm == 0x10) {
            return "nano-s";
        }
        if (legacy == 0x0004 || mm == 0x40) {
            return "nano-x";
        }
        if (legacy == 0x0005 || mm == 0x50) {
            return "nano-s-plus";
        }
        if (legacy == 0x0006 || mm == 0x60) {
            return "stax";
        }
        if (legacy == 0x0007 || mm == 0x70) {
            return "flex";
        }
        if (legacy == 0x0008 || mm == 0x80) {
            return "nano-gen5";
        }
        return "unknown";
    }
}
