package io.bakeguard.ledger.sim;

import io.bakeguard.core.crypto.Blake2b;
import io.bakeguard.ledger.apdu.ResponseApdu;
import io.bakeguard.ledger.app.Bip32Path;
import io.bakeguard.ledger.app.LedgerCurve;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A behavioural model of the Tezos Baking app 2.5.x (spec/ledger-baking-apdu.md s.8.3): APDU
 * validation and status words (s.3.1, s.3.4, s.3.8), NVRAM and RAM state, prompts, the one-APDU
 * signing state machine (s.3.5), message parsing (s.4.1) and the device HWM (s.4.2).
 *
 * <p>Simplifications, documented: {@code 0x03} manager operations are all refused with {@code 9405}
 * (the spec allows it); bip32-ed25519 and BLS keys are answered with {@code 6B00} (as a Nano S does for
 * BLS). Not thread safe: {@link SimulatedLedger} serialises calls.
 */
public final class SimulatedBakingApp {
    public static final int MAGIC_BLOCK = 0x11;
    public static final int MAGIC_PREATTESTATION = 0x12;
    public static final int MAGIC_ATTESTATION = 0x13;
    static final byte[] VERSION = {0x01, 0x02, 0x05, 0x01};
    static final String GIT_COMMIT = "bakeguard-sim";
    private static final int MAX_LC = 235;

    /** The app's NVRAM / RAM image ({@code baking_data}, s.4.2). */
    static final class State {
        byte[] mainChainId = new byte[4];
        HwmState main = new HwmState();
        HwmState test = new HwmState();
        int authCurve; // zeroed NVRAM: curve code 0 with an empty path (s.3.4 note)
        Bip32Path authPath = new Bip32Path(new int[0]);

        State copy() {
            State s = new State();
            s.mainChainId = mainChainId.clone();
            s.main = main.copy();
            s.test = test.copy();
            s.authCurve = authCurve;
            s.authPath = authPath;
            return s;
        }
    }

    private final byte[] seed;
    private final Map<String, SimKey> keys = new HashMap<>();
    private State nvram = new State();
    private State ram = new State();
    private boolean persistenceDisabled;

    // Per-command signing state (s.3.5); wiped by any error reply.
    private Bip32Path signPath;
    private LedgerCurve signCurve;
    private boolean partReceived;

    private int signatures;

    /** @param seed the 64-byte BIP39 seed */
    public SimulatedBakingApp(byte[] seed) {
        this.seed = seed.clone();
    }

    /** A device reply: the response (empty = no reply at all) and how long the device takes. */
    record Reply(Optional<ResponseApdu> response, long delayMillis) {
        static Reply of(ResponseApdu r) {
            return new Reply(Optional.of(r), 0);
        }

        static Reply sw(int sw) {
            return of(ResponseApdu.ofStatus(sw));
        }
    }

    /** Thrown inside the handlers: the status word to answer. */
    private static final class Sw extends Exception {
        private static final long serialVersionUID = 1L;
        final int sw;

        Sw(int sw) {
            super(null, null, false, false);
            this.sw = sw;
        }
    }

    /**
     * Handles one APDU with the app in front.
     *
     * @param operator answers prompts (the prompt's name in, the answer out)
     */
    Reply process(byte[] apdu, Function<String, PromptAnswer> operator) {
        try {
            return handle(apdu, operator);
        } catch (Sw e) {
            wipeCommandState();
            return Reply.sw(e.sw);
        }
    }

    private Reply handle(byte[] apdu, Function<String, PromptAnswer> operator) throws Sw {
        // Global checks, in the app's order (s.3.1).
        if (apdu.length < 5 || (apdu[4] & 0xff) != apdu.length - 5) {
            throw new Sw(0x6C00);
        }
        if ((apdu[4] & 0xff) > MAX_LC) {
            throw new Sw(0x917E);
        }
        if ((apdu[0] & 0xff) != 0x80) {
            throw new Sw(0x6E00);
        }
        int ins = apdu[1] & 0xff;
        int p1 = apdu[2] & 0xff;
        int p2 = apdu[3] & 0xff;
        byte[] data = Arrays.copyOfRange(apdu, 5, apdu.length);
        return switch (ins) {
            case 0x00 -> {
                noParamsNoData(p1, p2, data);
                yield ok(VERSION);
            }
            case 0x01 -> authorize(p1, p2, data, operator);
            case 0x02 -> ok(key(curveP2(p1, p2), pathExactly(data, 0)).publicKeyReply());
            case 0x03 -> promptPublicKey(p1, p2, data, operator);
            case 0x04, 0x0F -> sign(ins, p1, p2, data);
            case 0x06 -> reset(p1, p2, data, operator);
            case 0x07 -> {
                noParamsNoData(p1, p2, data);
                yield ok(ram.authPath.encode());
            }
            case 0x08 -> {
                noParamsNoData(p1, p2, data);
                yield ok(concat(int32(hwmLevel(ram.main)), int32(ram.main.round)));
            }
            case 0x09 -> {
                noParamsNoData(p1, p2, data);
                yield ok(concat(GIT_COMMIT.getBytes(StandardCharsets.US_ASCII), new byte[1]));
            }
            case 0x0A -> setup(p1, p2, data, operator);
            case 0x0B -> {
                noParamsNoData(p1, p2, data);
                yield ok(concat(
                        concat(int32(ram.main.level), int32(ram.main.round)),
                        concat(concat(int32(ram.test.level), int32(ram.test.round)), ram.mainChainId)));
            }
            case 0x0C -> {
                noParamsNoData(p1, p2, data);
                ram.authCurve = 0;
                ram.authPath = new Bip32Path(new int[0]);
                writeNvram();
                yield ok(new byte[0]);
            }
            case 0x0D -> {
                noParamsNoData(p1, p2, data);
                yield ok(concat(new byte[] {(byte) ram.authCurve}, ram.authPath.encode()));
            }
            case 0x0E -> hmac(p1, p2, data);
            default -> throw new Sw(0x6D00);
        };
    }

    private static int hwmLevel(HwmState h) {
        return h.level;
    }

    private Reply authorize(int p1, int p2, byte[] data, Function<String, PromptAnswer> operator) throws Sw {
        LedgerCurve curve;
        Bip32Path path;
        if (data.length == 0) {
            if (p1 != 0) {
                throw new Sw(0x6B00);
            }
            curve = LedgerCurve.ofCode(ram.authCurve).orElseThrow(() -> new Sw(0x6A80));
            path = ram.authPath;
            if (path.size() == 0) {
                throw new Sw(0x6A80);
            }
        } else {
            curve = curveP2(p1, p2);
            path = pathExactly(data, 0);
        }
        SimKey k = key(curve, path);
        LedgerCurve c = curve;
        Bip32Path p = path;
        return prompt("AUTHORIZE_BAKING", operator, () -> {
            ram.authCurve = c.code();
            ram.authPath = p;
            writeNvram();
            return k.publicKeyReply();
        });
    }

    private Reply promptPublicKey(int p1, int p2, byte[] data, Function<String, PromptAnswer> operator) throws Sw {
        SimKey k = key(curveP2(p1, p2), pathExactly(data, 0));
        return prompt("PROMPT_PUBLIC_KEY", operator, k::publicKeyReply);
    }

    private Reply reset(int p1, int p2, byte[] data, Function<String, PromptAnswer> operator) throws Sw {
        if (p1 != 0 || p2 != 0) {
            throw new Sw(0x6B00);
        }
        if (data.length != 4) {
            throw new Sw(0x6C00);
        }
        int level = int32(data, 0);
        if ((level & 0xC0000000) != 0) {
            throw new Sw(0x6A80);
        }
        return prompt("RESET", operator, () -> {
            // RESET clears had_attestation but not had_preattestation (s.4.2, apdu_reset.c).
            for (HwmState h : new HwmState[] {ram.main, ram.test}) {
                h.set(level, 0);
                h.hadAttestation = false;
            }
            writeNvram();
            return new byte[0];
        });
    }

    private Reply setup(int p1, int p2, byte[] data, Function<String, PromptAnswer> operator) throws Sw {
        LedgerCurve curve = curveP2(p1, p2);
        if (data.length < 13) {
            throw new Sw(0x6C00);
        }
        byte[] chain = Arrays.copyOf(data, 4);
        int mainLevel = int32(data, 4);
        int testLevel = int32(data, 8);
        if (((mainLevel | testLevel) & 0xC0000000) != 0) {
            throw new Sw(0x6A80);
        }
        Bip32Path path = pathExactly(data, 12);
        SimKey k = key(curve, path);
        return prompt("SETUP", operator, () -> {
            ram.mainChainId = chain;
            ram.main = new HwmState();
            ram.main.set(mainLevel, 0);
            ram.test = new HwmState();
            ram.test.set(testLevel, 0);
            ram.authCurve = curve.code();
            ram.authPath = path;
            writeNvram();
            return k.publicKeyReply();
        });
    }

    private Reply hmac(int p1, int p2, byte[] data) throws Sw {
        LedgerCurve curve = curveP2(p1, p2);
        Bip32Path path = path(data, 0);
        byte[] msg = Arrays.copyOfRange(data, path.encodedLength(), data.length);
        return ok(key(curve, path).hmac(msg));
    }

    private Reply sign(int ins, int p1, int p2, byte[] data) throws Sw {
        switch (p1) {
            case 0x00, 0x80 -> {
                LedgerCurve curve = curve(p2);
                Bip32Path path = pathExactly(data, 0);
                key(curve, path);
                signPath = path;
                signCurve = curve;
                partReceived = false;
                return ok(new byte[0]);
            }
            case 0x01, 0x81 -> {
                if (signPath == null) {
                    throw new Sw(0x917E);
                }
                if (partReceived) {
                    // The Baking app takes exactly one message APDU (s.3.5).
                    throw new Sw(0x9405);
                }
                if (p1 == 0x01) {
                    partReceived = true;
                    return ok(new byte[0]);
                }
                return ok(signMessage(ins, data));
            }
            default -> throw new Sw(0x6B00);
        }
    }

    private byte[] signMessage(int ins, byte[] msg) throws Sw {
        Parsed m = parse(msg);
        if (signCurve.code() != ram.authCurve || !signPath.equals(ram.authPath) || ram.authPath.size() == 0) {
            throw new Sw(0x6982);
        }
        if ((m.level & 0xC0000000) != 0) {
            throw new Sw(0x6A80);
        }
        HwmState hwm = selectHwm(m.chainId);
        if (!hwm.authorizes(m.kind, m.level, m.round)) {
            throw new Sw(0x6A80);
        }
        // The HWM is written before the signature is computed (s.3.5, baking_sign_complete).
        hwm.update(m.kind, m.level, m.round);
        if (!persistenceDisabled) {
            writeNvram();
        }
        byte[] hash = Blake2b.hash256(msg);
        byte[] sig = key(signCurve, signPath).sign(hash);
        signatures++;
        partReceived = false;
        return ins == 0x0F ? concat(hash, sig) : sig;
    }

    private HwmState selectHwm(byte[] chainId) {
        boolean mainUnset = Arrays.equals(ram.mainChainId, new byte[4]);
        return mainUnset || Arrays.equals(chainId, ram.mainChainId) ? ram.main : ram.test;
    }

    private record Parsed(int kind, byte[] chainId, int level, int round) {}

    /** The app's message parser (s.4.1); anything else is {@code 9405}. */
    static Parsed parse(byte[] m) throws Sw {
        int magic = m.length == 0 ? -1 : m[0] & 0xff;
        switch (magic) {
            case MAGIC_BLOCK -> {
                // 11 | chain(4) | level(4) | proto(1) | pred(32) | timestamp(8) | vp(1) | ops(32) | fitness
                int fit = 1 + 4 + 4 + 1 + 32 + 8 + 1 + 32;
                if (m.length < fit + 4) {
                    throw new Sw(0x9405);
                }
                int fitLen = int32(m, fit);
                if ((fitLen != 33 && fitLen != 37) || m.length < fit + 4 + fitLen) {
                    throw new Sw(0x9405);
                }
                // Fitness: version component 00000001 02, then length-prefixed components; round = last.
                int p = fit + 4;
                int end = p + fitLen;
                if (int32(m, p) != 1 || m[p + 4] != 0x02) {
                    throw new Sw(0x9405);
                }
                p += 5;
                int last = -1;
                int count = 0;
                while (p < end) {
                    if (p + 4 > end) {
                        throw new Sw(0x9405);
                    }
                    int len = int32(m, p);
                    if (len != 0 && len != 4 || p + 4 + len > end) {
                        throw new Sw(0x9405);
                    }
                    if (len == 4) {
                        last = int32(m, p + 4);
                    }
                    p += 4 + len;
                    count++;
                }
                if (count != 4 || last < 0) {
                    throw new Sw(0x9405);
                }
                return new Parsed(magic, Arrays.copyOfRange(m, 1, 5), int32(m, 5), last);
            }
            case MAGIC_PREATTESTATION, MAGIC_ATTESTATION -> {
                // 12|13 | chain(4) | branch(32) | tag(1) | slot(2) | level(4) | round(4) | payload hash(32)
                if (m.length < 1 + 4 + 32 + 1 + 2 + 4 + 4 + 32) {
                    throw new Sw(0x9405);
                }
                return new Parsed(magic, Arrays.copyOfRange(m, 1, 5), int32(m, 40), int32(m, 44));
            }
            default -> throw new Sw(0x9405);
        }
    }

    private interface Effect {
        byte[] apply() throws Sw;
    }

    private Reply prompt(String name, Function<String, PromptAnswer> operator, Effect effect) throws Sw {
        PromptAnswer a = operator.apply(name);
        if (a.never()) {
            return new Reply(Optional.empty(), 0);
        }
        if (!a.approve()) {
            wipeCommandState();
            return new Reply(Optional.of(ResponseApdu.ofStatus(0x6985)), a.delayMillis());
        }
        return new Reply(Optional.of(new ResponseApdu(effect.apply(), ResponseApdu.SW_OK)), a.delayMillis());
    }

    private void noParamsNoData(int p1, int p2, byte[] data) throws Sw {
        if (p1 != 0 || p2 != 0) {
            throw new Sw(0x6B00);
        }
        if (data.length != 0) {
            throw new Sw(0x6A80);
        }
    }

    private static LedgerCurve curve(int p2) throws Sw {
        Optional<LedgerCurve> c = LedgerCurve.ofCode(p2);
        if (c.isEmpty() || c.get() == LedgerCurve.BIP32_ED25519 || c.get() == LedgerCurve.BLS12_381) {
            throw new Sw(0x6B00);
        }
        return c.get();
    }

    private static LedgerCurve curveP2(int p1, int p2) throws Sw {
        if (p1 != 0) {
            throw new Sw(0x6B00);
        }
        return curve(p2);
    }

    private static Bip32Path path(byte[] data, int off) throws Sw {
        try {
            Bip32Path p = Bip32Path.decode(data, off);
            if (p.size() == 0) {
                throw new Sw(0x6A80);
            }
            return p;
        } catch (IllegalArgumentException e) {
            throw new Sw(0x6A80);
        }
    }

    private static Bip32Path pathExactly(byte[] data, int off) throws Sw {
        Bip32Path p = path(data, off);
        if (off + p.encodedLength() != data.length) {
            throw new Sw(0x6C00);
        }
        return p;
    }

    private SimKey key(LedgerCurve curve, Bip32Path path) throws Sw {
        if (curve == LedgerCurve.ED25519 && !path.allHardened()) {
            throw new Sw(0x6A80);
        }
        String id = curve.code() + ":" + path;
        SimKey k = keys.get(id);
        if (k == null) {
            k = new SimKey(curve, KeyDerivation.derive(seed, curve, path));
            keys.put(id, k);
        }
        return k;
    }

    private void wipeCommandState() {
        signPath = null;
        signCurve = null;
        partReceived = false;
    }

    private void writeNvram() {
        nvram = ram.copy();
    }

    // ---- hooks for the device model and for tests ----

    /** Power cycle: RAM reloaded from NVRAM (a RAM-only HWM is lost when persistence is off). */
    void powerCycle() {
        ram = nvram.copy();
        wipeCommandState();
    }

    /** The user quits the app from its menu: RAM written to NVRAM (ui_common.c app_exit). */
    void quitFromMenu() {
        writeNvram();
        wipeCommandState();
    }

    /** Reinstall (e.g. after a firmware update): NVRAM zeroed. */
    void reinstall() {
        nvram = new State();
        ram = new State();
        wipeCommandState();
    }

    void setPersistenceDisabled(boolean disabled) {
        persistenceDisabled = disabled;
    }

    int signatures() {
        return signatures;
    }

    /** (level, round, hadAttestation, hadPreattestation) of the main HWM in RAM, for tests. */
    int[] mainHwm() {
        return new int[] {
            ram.main.level, ram.main.round, ram.main.hadAttestation ? 1 : 0, ram.main.hadPreattestation ? 1 : 0
        };
    }

    int[] testHwm() {
        return new int[] {
            ram.test.level, ram.test.round, ram.test.hadAttestation ? 1 : 0, ram.test.hadPreattestation ? 1 : 0
        };
    }

    /** Public key reply of a key, for tests and for the device ID. */
    byte[] publicKeyReply(LedgerCurve curve, Bip32Path path) {
        try {
            return key(curve, path).publicKeyReply();
        } catch (Sw e) {
            throw new IllegalArgumentException("no key for " + curve + " " + path);
        }
    }

    private static Reply ok(byte[] data) {
        return Reply.of(new ResponseApdu(data, ResponseApdu.SW_OK));
    }

    static int int32(byte[] d, int off) {
        return ((d[off] & 0xff) << 24) | ((d[off + 1] & 0xff) << 16) | ((d[off + 2] & 0xff) << 8) | (d[off + 3] & 0xff);
    }

    static byte[] int32(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] o = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, o, a.length, b.length);
        return o;
    }
}
