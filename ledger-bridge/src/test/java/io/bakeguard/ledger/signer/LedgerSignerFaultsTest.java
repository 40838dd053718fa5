package io.bakeguard.ledger.signer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bakeguard.core.signer.SignatureVersion;
import io.bakeguard.ledger.app.LedgerException;
import io.bakeguard.ledger.app.TezosBakingApp;
import io.bakeguard.ledger.hid.HidFrameCodec;
import io.bakeguard.ledger.hid.HidIo;
import io.bakeguard.ledger.sim.SimulatedHidBus;
import io.bakeguard.ledger.sim.SimulatedLedger;
import io.bakeguard.ledger.sim.SimulatedLedger.Fault;
import io.bakeguard.ledger.testing.SimulatedSetup;
import io.bakeguard.ledger.testing.TezosMessages;
import io.bakeguard.ledger.testing.TezosSignatures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Lost replies, unplugs, device states and concurrency, all against the simulated device over HID. */
class LedgerSignerFaultsTest {
    private static final byte[] C0 = TezosMessages.CHAIN_0;

    private SimulatedLedger device;
    private SimulatedHidBus bus;
    private LedgerUri uri;
    private LedgerSigner signer;

    @BeforeEach
    void setUp() throws Exception {
        device = SimulatedSetup.zebra("faults");
        bus = new SimulatedHidBus(device);
        uri = SimulatedSetup.uri("ed25519");
        SimulatedSetup.setup(bus, TezosMessages.chain(1), 0, 0, uri);
    }

    @AfterEach
    void tearDown() {
        if (signer != null) {
            signer.close();
        }
        device.close();
    }

    private LedgerSigner open(LedgerSigner.Options options) throws Exception {
        signer = LedgerSigner.open(uri, new HidConnector(bus), options);
        return signer;
    }

    @Test
    void lostReplyThenRetryIsACleanRefusalNeverASecondDeviceSignature() throws Exception {
        open(SimulatedSetup.testOptions());
        byte[] msg = TezosMessages.attestation(C0, 10, 0);
        device.injectFault(Fault.DROP_REPLY, SimulatedLedger.signatureMessage(), 0);
        // The device signed (and moved its HWM) but the reply never came back; the signer reconnects
        // and tries once more, which the device refuses.
        assertThatThrownBy(() -> signer.sign(msg, SignatureVersion.LATEST))
                .isInstanceOf(LedgerException.HwmRefused.class);
        assertThatThrownBy(() -> signer.sign(msg, SignatureVersion.LATEST))
                .isInstanceOf(LedgerException.HwmRefused.class);
        assertThat(device.signatureCount()).isEqualTo(1);
        // The device still signs what comes next.
        signer.sign(TezosMessages.attestation(C0, 11, 0), SignatureVersion.LATEST);
        assertThat(device.signatureCount()).isEqualTo(2);
    }

    @Test
    void replyArrivingAfterTheCallerGaveUpIsCachedAndServesTheRetry() throws Exception {
        open(SimulatedSetup.testOptions()
                .withExchangeTimeout(Duration.ofMillis(2000))
                .withSignTimeout(Duration.ofMillis(300)));
        byte[] msg = TezosMessages.attestation(C0, 20, 0);
        device.injectFault(Fault.DELAY_REPLY, SimulatedLedger.signatureMessage(), 700);
        assertThatThrownBy(() -> signer.sign(msg, SignatureVersion.LATEST))
                .isInstanceOf(LedgerException.DeviceUnavailable.class)
                .hasMessageContaining("within 300 ms");
        String sig = null;
        for (int i = 0; i < 30 && sig == null; i++) {
            try {
                sig = signer.sign(msg, SignatureVersion.LATEST);
            } catch (LedgerException.DeviceUnavailable stillWaiting) {
                // the owner thread is still waiting for the delayed reply
            }
        }
        assertThat(sig).isNotNull();
        assertThat(TezosSignatures.verify(signer.publicKey(), msg, sig)).isTrue();
        assertThat(device.signatureCount()).isEqualTo(1);
        assertThat(signer.sign(msg, SignatureVersion.LATEST)).isEqualTo(sig);
        assertThat(device.signatureCount()).isEqualTo(1);
    }

    @Test
    void identicalRetryIsServedFromTheCacheWithoutTouchingTheDevice() throws Exception {
        open(SimulatedSetup.testOptions());
        byte[] msg = TezosMessages.attestation(C0, 30, 0);
        String first = signer.sign(msg, SignatureVersion.LATEST);
        int exchanges = device.exchangeCount();
        assertThat(signer.sign(msg, SignatureVersion.LATEST)).isEqualTo(first);
        assertThat(device.exchangeCount()).isEqualTo(exchanges);
        assertThat(device.signatureCount()).isEqualTo(1);
    }

    @Test
    void unplugAndReplugDuringASignatureRecoversAndReidentifiesTheDevice() throws Exception {
        open(SimulatedSetup.testOptions().withProbeInterval(Duration.ofSeconds(30)));
        String pathBefore = signer.devicePath();
        int identificationsBefore = device.apduCount(TezosBakingApp.INS_GET_PUBLIC_KEY);
        int attemptsBefore = signer.connectAttempts();
        device.injectFault(Fault.UNPLUG_BEFORE, SimulatedLedger.signatureMessage(), 150);
        byte[] msg = TezosMessages.attestation(C0, 40, 0);
        String sig = signer.sign(msg, SignatureVersion.LATEST);
        assertThat(TezosSignatures.verify(signer.publicKey(), msg, sig)).isTrue();
        assertThat(device.signatureCount()).isEqualTo(1);
        assertThat(signer.connected()).isTrue();
        assertThat(signer.devicePath()).isNotEqualTo(pathBefore);
        assertThat(signer.sessionsOpened()).isEqualTo(2);
        // root key and account key read again on the new handle
        assertThat(device.apduCount(TezosBakingApp.INS_GET_PUBLIC_KEY)).isEqualTo(identificationsBefore + 2);
        // Backoff 50, 100, 200, 400 ms against a replug after 150 ms: a handful of attempts, not a spin
        // (7 would mean the replug was seen more than a second late).
        assertThat(signer.connectAttempts() - attemptsBefore).isBetween(2, 7);
    }

    @Test
    void unplugAfterTheDeviceSignedGivesARefusalOnRetryNeverASecondSignature() throws Exception {
        open(SimulatedSetup.testOptions().withProbeInterval(Duration.ofSeconds(30)));
        device.injectFault(Fault.UNPLUG_AFTER, SimulatedLedger.signatureMessage(), 100);
        byte[] msg = TezosMessages.attestation(C0, 50, 0);
        assertThatThrownBy(() -> signer.sign(msg, SignatureVersion.LATEST))
                .isInstanceOf(LedgerException.HwmRefused.class);
        assertThat(device.signatureCount()).isEqualTo(1);
        assertThat(signer.connected()).isTrue();
    }

    @Test
    void lockedDashboardAndWalletStatesMapToTypedErrorsAndTheConnectedFlag() throws Exception {
        open(SimulatedSetup.testOptions().withSignTimeout(Duration.ofMillis(400)));
        List<Boolean> changes = new CopyOnWriteArrayList<>();
        signer.onConnectedChange(changes::add);
        assertThat(signer.connected()).isTrue();

        device.setScreen(SimulatedLedger.Screen.LOCKED);
        assertThatThrownBy(() -> signer.sign(TezosMessages.attestation(C0, 60, 0), SignatureVersion.LATEST))
                .isInstanceOf(LedgerException.DeviceLocked.class);
        assertThat(signer.connected()).isFalse();
        assertThat(signer.lastError()).containsInstanceOf(LedgerException.DeviceLocked.class);

        device.setScreen(SimulatedLedger.Screen.DASHBOARD);
        assertThatThrownBy(() -> signer.sign(TezosMessages.attestation(C0, 61, 0), SignatureVersion.LATEST))
                .isInstanceOf(LedgerException.AppNotOpen.class);
        assertThat(signer.connected()).isFalse();

        device.setScreen(SimulatedLedger.Screen.WALLET_APP);
        assertThatThrownBy(() -> signer.sign(TezosMessages.attestation(C0, 62, 0), SignatureVersion.LATEST))
                .isInstanceOf(LedgerException.WrongApp.class);
        assertThat(signer.connected()).isFalse();

        device.setScreen(SimulatedLedger.Screen.BAKING_APP);
        awaitConnected(true);
        assertThat(changes).containsSubsequence(false, true);
        signer.sign(TezosMessages.attestation(C0, 63, 0), SignatureVersion.LATEST);
        assertThat(device.signatureCount()).isEqualTo(1);
    }

    @Test
    void probeNoticesALockedIdleDeviceAndTheReturnOfTheApp() throws Exception {
        open(SimulatedSetup.testOptions());
        device.setScreen(SimulatedLedger.Screen.LOCKED);
        awaitConnected(false);
        assertThat(signer.lastError()).containsInstanceOf(LedgerException.DeviceLocked.class);
        device.setScreen(SimulatedLedger.Screen.BAKING_APP);
        awaitConnected(true);
    }

    @Test
    void messageOf236BytesIsRefusedBeforeAnyIo() throws Exception {
        open(SimulatedSetup.testOptions().withProbeInterval(Duration.ofSeconds(30)));
        int before = device.exchangeCount();
        byte[] msg = java.util.Arrays.copyOf(TezosMessages.attestation(C0, 70, 0), 236);
        assertThatThrownBy(() -> signer.sign(msg, SignatureVersion.LATEST))
                .isInstanceOf(LedgerException.BadRequest.class)
                .hasMessageContaining("236 bytes");
        assertThat(device.exchangeCount()).isEqualTo(before);
        assertThat(device.apduCount(TezosBakingApp.INS_SIGN_WITH_HASH)).isZero();
    }

    @Test
    void twoThreadsSigningConcurrentlyGetStrictlySerialisedDeviceExchanges() throws Exception {
        open(SimulatedSetup.testOptions().withProbeInterval(Duration.ofMillis(20)));
        int before = device.exchangeIntervals().size();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        try {
            // main chain (c1) on one thread, the test chain (c2) on the other: each HWM only moves up.
            List<Future<Integer>> results = new ArrayList<>();
            for (byte[] chain : new byte[][] {TezosMessages.chain(1), TezosMessages.chain(2)}) {
                results.add(pool.submit(() -> {
                    go.await();
                    int n = 0;
                    for (int level = 1; level <= 15; level++) {
                        byte[] m = TezosMessages.attestation(chain, level, 0);
                        if (TezosSignatures.verify(signer.publicKey(), m, signer.sign(m, SignatureVersion.LATEST))) {
                            n++;
                        }
                    }
                    return n;
                }));
            }
            go.countDown();
            for (Future<Integer> f : results) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(15);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(device.signatureCount()).isEqualTo(30);
        List<SimulatedLedger.Interval> intervals = new ArrayList<>(device.exchangeIntervals());
        assertThat(intervals.size() - before).isGreaterThanOrEqualTo(60);
        intervals.sort(Comparator.comparingLong(SimulatedLedger.Interval::startNanos));
        for (int i = 1; i < intervals.size(); i++) {
            assertThat(intervals.get(i).startNanos())
                    .as("exchange %d starts after exchange %d ended", i, i - 1)
                    .isGreaterThanOrEqualTo(intervals.get(i - 1).endNanos());
        }
        assertThat(device.overlapSeen()).isFalse();
    }

    @Test
    void theSimulatorDetectsOverlappingExchangesWhenTheOwnerThreadIsBypassed() throws Exception {
        // Proof that the serialisation assertion above can fail: two raw handles, the second request
        // sent before the first reply was read.
        try (HidIo a = bus.open(bus.enumerate().get(0));
                HidIo b = bus.open(bus.enumerate().get(0))) {
            byte[] version = java.util.HexFormat.of().parseHex("8000000000");
            a.write(HidFrameCodec.encode(0x0101, version).get(0));
            assertThat(device.overlapSeen()).isFalse();
            b.write(HidFrameCodec.encode(0x0102, version).get(0));
            assertThat(device.overlapSeen()).isTrue();
        }
    }

    private void awaitConnected(boolean expected) throws InterruptedException {
        for (int i = 0; i < 100 && signer.connected() != expected; i++) {
            Thread.sleep(50);
        }
        assertThat(signer.connected()).isEqualTo(expected);
    }
}
