package io.bakeguard.ledger.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bakeguard.ledger.apdu.HidApduTransport;
import io.bakeguard.ledger.apdu.TransportException;
import io.bakeguard.ledger.app.AppVersion;
import io.bakeguard.ledger.app.TezosBakingApp;
import io.bakeguard.ledger.hid.HidFrameCodec;
import io.bakeguard.ledger.hid.HidIo;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The device side of HID framing (spec/ledger-baking-apdu.md s.2.3) and its faults. */
class InMemoryHidDeviceTest {
    private SimulatedLedger device;
    private SimulatedHidBus bus;

    @BeforeEach
    void setUp() {
        device = new SimulatedLedger("frames", KeyDerivation.ZEBRA_MNEMONIC);
        bus = new SimulatedHidBus(device);
    }

    @AfterEach
    void tearDown() {
        device.close();
    }

    private HidIo open() throws Exception {
        return bus.open(bus.enumerate().get(0));
    }

    @Test
    void replyEchoesTheRequestChannelAndIsPaddedTo64Bytes() throws Exception {
        try (HidIo io = open()) {
            io.write(HidFrameCodec.encode(0x4242, HexFormat.of().parseHex("8000000000"))
                    .get(0));
            byte[] buf = new byte[64];
            assertThat(io.read(buf, 1000)).isEqualTo(64);
            assertThat(HexFormat.of().formatHex(buf))
                    .isEqualTo("4242050000" + "0006" + "010205019000" + "00".repeat(51));
        }
    }

    @Test
    void outOfSequenceFrameMakesTheDeviceDropTheMessageSilently() throws Exception {
        try (HidIo io = open()) {
            List<byte[]> frames = HidFrameCodec.encode(0x0101, new byte[100]);
            io.write(frames.get(0));
            byte[] wrong = frames.get(1).clone();
            wrong[4] = 5;
            io.write(wrong);
            assertThat(io.read(new byte[64], 200)).isZero();
            assertThat(device.exchangeCount()).isZero();
        }
    }

    @Test
    void firstFrameAnnouncingMoreThanTheApduBufferIsDropped() throws Exception {
        try (HidIo io = open()) {
            io.write(HidFrameCodec.encode(0x0101, new byte[300]).get(0));
            assertThat(io.read(new byte[64], 200)).isZero();
            assertThat(device.exchangeCount()).isZero();
        }
    }

    @Test
    void lateReplyToAnAbandonedExchangeIsDroppedByItsChannel() throws Exception {
        try (HidApduTransport t = new HidApduTransport(open())) {
            TezosBakingApp app = new TezosBakingApp(t, Duration.ofMillis(200));
            device.injectFault(SimulatedLedger.Fault.DELAY_REPLY, SimulatedLedger.anyApdu(), 400);
            assertThatThrownBy(app::version).isInstanceOf(TransportException.class);
            Thread.sleep(500); // the stale VERSION reply is now queued on the handle
            TezosBakingApp patient = new TezosBakingApp(t, Duration.ofSeconds(2));
            assertThat(patient.git()).isEqualTo("bakeguard-sim");
            assertThat(patient.version()).isEqualTo(new AppVersion(1, 2, 5, 1));
        }
    }

    @Test
    void handleDiesOnUnplugAndANewPathAppearsOnReplug() throws Exception {
        HidIo io = open();
        String before = io.path();
        device.unplug(-1);
        assertThat(bus.enumerate()).isEmpty();
        assertThatThrownBy(() -> io.write(new byte[64])).hasMessageContaining("disconnected");
        device.replug();
        assertThat(bus.enumerate())
                .singleElement()
                .satisfies(d -> assertThat(d.path()).isNotEqualTo(before));
        assertThatThrownBy(() -> io.read(new byte[64], 10)).hasMessageContaining("disconnected");
        io.close();
    }

    @Test
    void busyDeviceNeverAnswers() throws Exception {
        device.setScreen(SimulatedLedger.Screen.BUSY);
        try (HidApduTransport t = new HidApduTransport(open())) {
            assertThatThrownBy(() -> new TezosBakingApp(t, Duration.ofMillis(150)).version())
                    .isInstanceOf(TransportException.class)
                    .hasMessageContaining("no reply");
        }
    }

    @Test
    void hwmPersistenceOffLosesTheRamHwmOnPowerCycleAndQuitSavesIt() throws Exception {
        try (HidApduTransport t = new HidApduTransport(open())) {
            TezosBakingApp app = new TezosBakingApp(t, Duration.ofSeconds(2));
            app.setup(
                    new byte[4],
                    0,
                    0,
                    io.bakeguard.ledger.app.LedgerCurve.ED25519,
                    io.bakeguard.ledger.app.Bip32Path.parse("44'/1729'/0'/0'"),
                    Duration.ofSeconds(2));
        }
        device.setHwmPersistenceDisabled(true);
        signAttestation(5);
        assertThat(device.mainHwm()[0]).isEqualTo(5);
        device.unplug(-1);
        device.replug();
        assertThat(device.mainHwm()[0]).isZero();
        signAttestation(6);
        device.quitAppFromMenu();
        device.unplug(-1);
        device.replug();
        assertThat(device.mainHwm()[0]).isEqualTo(6);
    }

    private void signAttestation(int level) throws Exception {
        try (HidApduTransport t = new HidApduTransport(open())) {
            new TezosBakingApp(t, Duration.ofSeconds(2))
                    .signWithHash(
                            io.bakeguard.ledger.app.LedgerCurve.ED25519,
                            io.bakeguard.ledger.app.Bip32Path.parse("44'/1729'/0'/0'"),
                            io.bakeguard.ledger.testing.TezosMessages.attestation(new byte[4], level, 0));
        }
    }
}
