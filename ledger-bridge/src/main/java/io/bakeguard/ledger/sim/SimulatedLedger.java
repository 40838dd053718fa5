package io.bakeguard.ledger.sim;

import io.bakeguard.ledger.apdu.ResponseApdu;
import io.bakeguard.ledger.app.Bip32Path;
import io.bakeguard.ledger.app.LedgerCurve;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A simulated Ledger: the OS (locked, dashboard, which app is in front), the Baking app model, the
 * USB plug, injectable transport faults, and counters tests assert on (device signatures, exchange
 * intervals). Front ends ({@link InMemoryHidDevice}, {@link SpeculosTcpServer}) call
 * {@link #exchange}; everything is serialised on this object as a real device handles one APDU at a
 * time (spec/ledger-baking-apdu.md s.8.3 items 8 and 9).
 */
public final class SimulatedLedger implements AutoCloseable {

    /** What is in front on the device. */
    public enum Screen {
        /** PIN not entered: {@code 5515} to every APDU. */
        LOCKED,
        /** Dashboard: app CLA answered {@code 6E01}. */
        DASHBOARD,
        BAKING_APP,
        /** Tezos Wallet: same CLA and INS numbers, VERSION class {@code 00}. */
        WALLET_APP,
        /** An app with another CLA: {@code 6E00}. */
        OTHER_APP,
        /** App busy or mid-transition: no reply at all. */
        BUSY
    }

    /** Transport faults, consumed by the first exchange they match. */
    public enum Fault {
        /** The device processes the APDU (state changes), the reply is lost. */
        DROP_REPLY,
        /** The device vanishes before the APDU reaches it: I/O error, nothing processed. */
        UNPLUG_BEFORE,
        /** The device processes the APDU, then vanishes before replying. */
        UNPLUG_AFTER,
        /** The reply is delivered only after a delay (possibly past the host's timeout). */
        DELAY_REPLY,
        /** A request frame arrives out of sequence: the device drops the message silently (s.2.3). */
        SEQUENCE_ERROR
    }

    /** A device-side result for the front end. */
    public record Outcome(Optional<ResponseApdu> reply, long delayMillis, boolean unplugged) {}

    /** One exchange as the front end saw it, in {@link System#nanoTime()} units. */
    public record Interval(long startNanos, long endNanos) {}

    private record PendingFault(Fault fault, Predicate<byte[]> when, long param) {}

    private final SimulatedBakingApp app;
    private final String name;
    private final ScheduledExecutorService timer;
    private final List<PendingFault> faults = new ArrayList<>();
    private final List<Interval> intervals = new ArrayList<>();
    private final int[] apduCounts = new int[256];
    private Function<String, PromptAnswer> operator = p -> PromptAnswer.APPROVE;
    private Screen screen = Screen.BAKING_APP;
    private Screen screenAfterReplug = Screen.BAKING_APP;
    private boolean plugged = true;
    private int generation;
    private int openExchanges;
    private boolean overlapSeen;
    private int exchanges;

    /** A device whose seed is the BIP39 seed of {@code mnemonic} (empty passphrase). */
    public SimulatedLedger(String name, String mnemonic) {
        this(name, KeyDerivation.bip39Seed(mnemonic, ""));
    }

    public SimulatedLedger(String name, byte[] seed) {
        this.name = name;
        this.app = new SimulatedBakingApp(seed);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sim-ledger-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    public String name() {
        return name;
    }

    /** Processes one complete APDU as the device would, applying a pending fault if one matches. */
    public synchronized Outcome exchange(byte[] apdu) {
        exchanges++;
        apduCounts[apdu.length > 1 ? apdu[1] & 0xff : 0]++;
        PendingFault f = takeFault(apdu);
        if (f != null && f.fault == Fault.UNPLUG_BEFORE) {
            unplugNow(f.param);
            return new Outcome(Optional.empty(), 0, true);
        }
        if (f != null && f.fault == Fault.SEQUENCE_ERROR) {
            return new Outcome(Optional.empty(), 0, false);
        }
        SimulatedBakingApp.Reply r = route(apdu);
        if (f == null) {
            return new Outcome(r.response(), r.delayMillis(), false);
        }
        return switch (f.fault) {
            case DROP_REPLY -> new Outcome(Optional.empty(), 0, false);
            case UNPLUG_AFTER -> {
                unplugNow(f.param);
                yield new Outcome(Optional.empty(), 0, true);
            }
            case DELAY_REPLY -> new Outcome(r.response(), r.delayMillis() + f.param, false);
            default -> throw new IllegalStateException(f.fault.name());
        };
    }

    private SimulatedBakingApp.Reply route(byte[] apdu) {
        boolean osAppName = apdu.length >= 2 && (apdu[0] & 0xff) == 0xB0 && apdu[1] == 0x01;
        switch (screen) {
            case LOCKED:
                return SimulatedBakingApp.Reply.sw(0x5515);
            case BUSY:
                return new SimulatedBakingApp.Reply(Optional.empty(), 0);
            case DASHBOARD:
                if (osAppName) {
                    return appName("BOLOS", "2.2.3");
                }
                return SimulatedBakingApp.Reply.sw(apdu.length > 0 && (apdu[0] & 0xff) == 0x80 ? 0x6E01 : 0x6E00);
            case OTHER_APP:
                return osAppName ? appName("Bitcoin", "2.1.0") : SimulatedBakingApp.Reply.sw(0x6E00);
            case WALLET_APP:
                if (osAppName) {
                    return appName("Tezos Wallet", "3.0.6");
                }
                if (apdu.length == 5 && (apdu[0] & 0xff) == 0x80 && apdu[1] == 0x00) {
                    return SimulatedBakingApp.Reply.of(new ResponseApdu(new byte[] {0, 3, 0, 6}, 0x9000));
                }
                if (apdu.length > 1 && apdu[1] == 0x02) {
                    return app.process(apdu, operator);
                }
                return SimulatedBakingApp.Reply.sw(0x6D00);
            case BAKING_APP:
            default:
                if (osAppName) {
                    return appName("Tezos Baking", "2.5.1");
                }
                return app.process(apdu, operator);
        }
    }

    private static SimulatedBakingApp.Reply appName(String appName, String version) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(0x01);
        byte[] n = appName.getBytes(StandardCharsets.US_ASCII);
        o.write(n.length);
        o.writeBytes(n);
        byte[] v = version.getBytes(StandardCharsets.US_ASCII);
        o.write(v.length);
        o.writeBytes(v);
        return SimulatedBakingApp.Reply.of(new ResponseApdu(o.toByteArray(), 0x9000));
    }

    private PendingFault takeFault(byte[] apdu) {
        for (Iterator<PendingFault> it = faults.iterator(); it.hasNext(); ) {
            PendingFault f = it.next();
            if (f.when.test(apdu)) {
                it.remove();
                return f;
            }
        }
        return null;
    }

    // ---- test hooks ----

    /**
     * Arms a fault for the first exchange matching {@code when}.
     *
     * @param param for DELAY_REPLY the delay in ms; for the unplug faults the time until the device
     *     reappears (ms, negative = stays unplugged until {@link #replug()})
     */
    public synchronized void injectFault(Fault fault, Predicate<byte[]> when, long param) {
        faults.add(new PendingFault(fault, when, param));
    }

    /** Matches the message APDU of a signature (INS 0x04/0x0F with P1 0x81). */
    public static Predicate<byte[]> signatureMessage() {
        return a -> a.length > 2 && (a[1] == 0x04 || a[1] == 0x0F) && (a[2] & 0xff) == 0x81;
    }

    /** Matches every APDU. */
    public static Predicate<byte[]> anyApdu() {
        return a -> true;
    }

    public synchronized void setScreen(Screen s) {
        screen = s;
    }

    public synchronized Screen screen() {
        return screen;
    }

    /** What the device shows after it is plugged back in (default: the Baking app, as if unlocked at once). */
    public synchronized void setScreenAfterReplug(Screen s) {
        screenAfterReplug = s;
    }

    public synchronized void setOperator(Function<String, PromptAnswer> operator) {
        this.operator = operator;
    }

    public synchronized boolean plugged() {
        return plugged;
    }

    /** Increases on every unplug: handles opened in an older generation are dead. */
    public synchronized int generation() {
        return generation;
    }

    /** Pulls the cable; when {@code replugAfterMillis >= 0} it is plugged back after that time. */
    public synchronized void unplug(long replugAfterMillis) {
        unplugNow(replugAfterMillis);
    }

    private void unplugNow(long replugAfterMillis) {
        if (plugged) {
            plugged = false;
            generation++;
        }
        if (replugAfterMillis >= 0) {
            timer.schedule(this::replug, replugAfterMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** Plugs the device back in: it boots (RAM reloaded from NVRAM) and shows the replug screen. */
    public synchronized void replug() {
        if (!plugged) {
            plugged = true;
            generation++;
            app.powerCycle();
            screen = screenAfterReplug;
        }
    }

    public synchronized void setHwmPersistenceDisabled(boolean disabled) {
        app.setPersistenceDisabled(disabled);
    }

    public synchronized void quitAppFromMenu() {
        app.quitFromMenu();
        screen = Screen.DASHBOARD;
    }

    public synchronized void reinstallApp() {
        app.reinstall();
    }

    /** Signatures the device has produced (INS 0x04 and 0x0F). */
    public synchronized int signatureCount() {
        return app.signatures();
    }

    public synchronized int apduCount(int ins) {
        return apduCounts[ins & 0xff];
    }

    public synchronized int exchangeCount() {
        return exchanges;
    }

    /** Main HWM in RAM: level, round, had_attestation (0/1), had_preattestation (0/1). */
    public synchronized int[] mainHwm() {
        return app.mainHwm();
    }

    public synchronized int[] testHwm() {
        return app.testHwm();
    }

    /** The GET_PUBLIC_KEY reply data for a key of this device (no I/O, for tests and tools). */
    public synchronized byte[] publicKeyReply(LedgerCurve curve, Bip32Path path) {
        return app.publicKeyReply(curve, path);
    }

    /** Runs {@code r} later on the device's timer (front ends deliver delayed replies with it). */
    void schedule(Runnable r, long delayMillis) {
        timer.schedule(r, delayMillis, TimeUnit.MILLISECONDS);
    }

    // ---- exchange recording (front ends call these) ----

    synchronized long beginExchange() {
        openExchanges++;
        if (openExchanges > 1) {
            overlapSeen = true;
        }
        return System.nanoTime();
    }

    synchronized void endExchange(long start) {
        openExchanges = Math.max(0, openExchanges - 1);
        intervals.add(new Interval(start, System.nanoTime()));
    }

    /** Exchanges recorded by the front ends, in completion order. */
    public synchronized List<Interval> exchangeIntervals() {
        return List.copyOf(intervals);
    }

    /** True when a front end ever saw a request start while another exchange was in progress. */
    public synchronized boolean overlapSeen() {
        return overlapSeen;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
