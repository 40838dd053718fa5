package io.bakeguard.ledger.hid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Real hidapi through hid4java. No Ledger is plugged in here, so only enumeration and the filter run;
 * signing over real HID is covered by the same HidApduTransport against the in-memory device.
 */
class Hid4javaDeviceFinderTest {

    @Test
    void enumerationRunsAndReturnsOnlyLedgerApduInterfaces() {
        List<HidDeviceInfo> found;
        try {
            found = new Hid4javaDeviceFinder().enumerate();
        } catch (IOException e) {
            assumeTrue(false, "hidapi native library cannot load on this machine: " + e.getMessage());
            return;
        }
        assertThat(found).allSatisfy(d -> assertThat(d.isLedgerApduInterface()).isTrue());
    }

    @Test
    void filterKeepsTheApduInterfaceAndSkipsFidoAndOtherVendors() {
        assertThat(new HidDeviceInfo("p", 0x2C97, 0x5011, 0xFFA0, 0, "", "").isLedgerApduInterface())
                .isTrue();
        assertThat(new HidDeviceInfo("p", 0x2C97, 0x5011, 0xFFA0, -1, "", "").isLedgerApduInterface())
                .isTrue();
        assertThat(new HidDeviceInfo("p", 0x2C97, 0x5011, 0, 0, "", "").isLedgerApduInterface())
                .isTrue();
        assertThat(new HidDeviceInfo("p", 0x2C97, 0x5011, 0xF1D0, 1, "", "").isLedgerApduInterface())
                .isFalse();
        assertThat(new HidDeviceInfo("p", 0x2C97, 0x5011, 0xF1D0, 0, "", "").isLedgerApduInterface())
                .isFalse();
        assertThat(new HidDeviceInfo("p", 0x1234, 0x5011, 0xFFA0, 0, "", "").isLedgerApduInterface())
                .isFalse();
    }

    @Test
    void modelsComeFromLegacyAndCurrentProductIds() {
        assertThat(new HidDeviceInfo("p", 0x2C97, 0x0001, 0xFFA0, 0, "", "").model())
                .isEqualTo("nano-s");
        assertThat(new HidDeviceInfo("p", 0x2C97, 0x4011, 0xFFA0, 0, "", "").model())
                .isEqualTo("nano-x");
        assertThat(new HidDeviceInfo("p", 0x2C97, 0x7015, 0xFFA0, 0, "", "").model())
                .isEqualTo("flex");
        assertThat(new HidDeviceInfo("p", 0x2C97, 0x9999, 0xFFA0, 0, "", "").model())
                .isEqualTo("unknown");
    }
}
