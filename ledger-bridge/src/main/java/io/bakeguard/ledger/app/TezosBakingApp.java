package io.bakeguard.ledger.app;

import io.bakeguard.core.crypto.Blake2b;
import io.bakeguard.ledger.apdu.ApduTransport;
import io.bakeguard.ledger.apdu.ResponseApdu;
import io.bakeguard.ledger.apdu.TransportException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * The Tezos Baking app's commands (spec/ledger-baking-apdu.md s.3.4), one method per INS, with typed
 * replies and status words mapped to {@link LedgerException}. No threads: the caller owns the
 * transport. Every command is sent with its {@code Lc} byte, and limits are enforced before sending.
 */
public final class TezosBakingApp {
    public static final int CLA = 0x80;
    public static final int INS_VERSION = 0x00;
    public static final int INS_AUTHORIZE_BAKING = 0x01;
    public static final int INS_GET_PUBLIC_KEY = 0x02;
    public static final int INS_PROMPT_PUBLIC_KEY = 0x03;
    public static final int INS_SIGN = 0x04;
    public static final int INS_RESET = 0x06;
    public static final int INS_QUERY_AUTH_KEY = 0x07;
    public static final int INS_QUERY_MAIN_HWM = 0x08;
    public static final int INS_GIT = 0x09;
    public static final int INS_SETUP = 0x0A;
    public static final int INS_QUERY_ALL_HWM = 0x0B;
    public static final int INS_DEAUTHORIZE = 0x0C;
    public static final int INS_QUERY_AUTH_KEY_WITH_CURVE = 0x0D;
    public static final int INS_HMAC = 0x0E;
    public static final int INS_SIGN_WITH_HASH = 0x0F;

    /** P1 of the first sign APDU (the path) and of the last one (bit 7 = last, low bits = next). */
    public static final int P1_FIRST = 0x00;

    public static final int P1_LAST_NEXT = 0x81;
    /** Largest data field the app accepts ({@code Lc > 235} is refused with {@code 917E}, s.3.1). */
    public static final int MAX_DATA = 235;

    private final ApduTransport transport;
    private final Duration timeout;

    /**
     * @param transport the device
     * @param timeout timeout for commands that do not prompt (prompting commands take their own)
     */
    public TezosBakingApp(ApduTransport transport, Duration timeout) {
        this.transport = transport;
        this.timeout = timeout;
    }

    public ApduTransport transport() {
        return transport;
    }

    /** Builds {@code CLA INS P1 P2 Lc DATA}, always with {@code Lc}. */
    public static byte[] command(int ins, int p1, int p2, byte[] data) {
        if (data.length > 255) {
            throw new IllegalArgumentException("APDU data of " + data.length + " bytes");
        }
        byte[] out = new byte[5 + data.length];
        out[0] = (byte) CLA;
        out[1] = (byte) ins;
        out[2] = (byte) p1;
        out[3] = (byte) p2;
        out[4] = (byte) data.length;
        System.arraycopy(data, 0, out, 5, data.length);
        return out;
    }

    public AppVersion version() throws LedgerException, TransportException {
        byte[] d = call(INS_VERSION, 0, 0, new byte[0], timeout, Context.OTHER);
        if (d.length != 4) {
            throw new LedgerException.DeviceFailure("VERSION reply of " + d.length + " bytes, expected 4", -1);
        }
        return new AppVersion(d[0] & 0xff, d[1] & 0xff, d[2] & 0xff, d[3] & 0xff);
    }

    /** The app's git commit (NUL terminator stripped). */
    public String git() throws LedgerException, TransportException {
        byte[] d = call(INS_GIT, 0, 0, new byte[0], timeout, Context.OTHER);
        int end = d.length;
        while (end > 0 && d[end - 1] == 0) {
            end--;
        }
        return new String(d, 0, end, StandardCharsets.US_ASCII);
    }

    /** GET_PUBLIC_KEY: no prompt. */
    public DeviceKey getPublicKey(LedgerCurve curve, Bip32Path path) throws LedgerException, TransportException {
        checkPath(curve, path);
        return DeviceKey.fromReply(
                curve, call(INS_GET_PUBLIC_KEY, 0, curve.code(), path.encode(), timeout, Context.PUBLIC_KEY));
    }

    /** PROMPT_PUBLIC_KEY: the device shows the address and waits for a human. */
    public DeviceKey promptPublicKey(LedgerCurve curve, Bip32Path path, Duration promptTimeout)
            throws LedgerException, TransportException {
        checkPath(curve, path);
        return DeviceKey.fromReply(
                curve, call(INS_PROMPT_PUBLIC_KEY, 0, curve.code(), path.encode(), promptTimeout, Context.PUBLIC_KEY));
    }

    /** AUTHORIZE_BAKING (prompt). */
    public DeviceKey authorizeBaking(LedgerCurve curve, Bip32Path path, Duration promptTimeout)
            throws LedgerException, TransportException {
        checkPath(curve, path);
        return DeviceKey.fromReply(
                curve, call(INS_AUTHORIZE_BAKING, 0, curve.code(), path.encode(), promptTimeout, Context.OTHER));
    }

    /**
     * SETUP (prompt): authorizes the key, sets the main chain id and both HWMs to (level, 0).
     *
     * @param chainId the raw 4-byte chain id, {@code 00000000} = every chain is main
     */
    public DeviceKey setup(
            byte[] chainId, int mainLevel, int testLevel, LedgerCurve curve, Bip32Path path, Duration promptTimeout)
            throws LedgerException, TransportException {
        if (chainId.length != 4) {
            throw new IllegalArgumentException("chain id is 4 bytes");
        }
        checkLevel(mainLevel);
        checkLevel(testLevel);
        checkPath(curve, path);
        ByteArrayOutputStream d = new ByteArrayOutputStream();
        d.writeBytes(chainId);
        d.writeBytes(int32(mainLevel));
        d.writeBytes(int32(testLevel));
        d.writeBytes(path.encode());
        return DeviceKey.fromReply(
                curve, call(INS_SETUP, 0, curve.code(), d.toByteArray(), promptTimeout, Context.OTHER));
    }

    /** RESET (prompt): main and test HWM := (level, 0). */
    public void reset(int level, Duration promptTimeout) throws LedgerException, TransportException {
        checkLevel(level);
        expectEmpty(call(INS_RESET, 0, 0, int32(level), promptTimeout, Context.OTHER), "RESET");
    }

    /** QUERY_AUTH_KEY: the authorized path, empty when none. */
    public Optional<Bip32Path> queryAuthKey() throws LedgerException, TransportException {
        byte[] d = call(INS_QUERY_AUTH_KEY, 0, 0, new byte[0], timeout, Context.OTHER);
        Bip32Path p = parsePathExactly(d, 0, "QUERY_AUTH_KEY");
        return p.size() == 0 ? Optional.empty() : Optional.of(p);
    }

    /**
     * QUERY_AUTH_KEY_WITH_CURVE: empty when none is authorized ({@code 6A88}, or an empty path after
     * DEAUTHORIZE, s.3.4 note).
     */
    public Optional<AuthorizedKey> queryAuthKeyWithCurve() throws LedgerException, TransportException {
        ResponseApdu r = exchange(command(INS_QUERY_AUTH_KEY_WITH_CURVE, 0, 0, new byte[0]), timeout);
        if (r.sw() == 0x6A88) {
            return Optional.empty();
        }
        byte[] d = check(r, INS_QUERY_AUTH_KEY_WITH_CURVE, Context.OTHER);
        if (d.length < 2) {
            throw new LedgerException.DeviceFailure("QUERY_AUTH_KEY_WITH_CURVE reply too short", -1);
        }
        LedgerCurve curve = LedgerCurve.ofCode(d[0] & 0xff)
                .orElseThrow(() ->
                        new LedgerException.DeviceFailure("unknown curve code " + (d[0] & 0xff) + " from device", -1));
        Bip32Path p = parsePathExactly(d, 1, "QUERY_AUTH_KEY_WITH_CURVE");
        return p.size() == 0 ? Optional.empty() : Optional.of(new AuthorizedKey(curve, p));
    }

    /** QUERY_MAIN_HWM: (level, round); pre-Tenderbake apps answer the level only (round 0). */
    public Hwm queryMainHwm() throws LedgerException, TransportException {
        byte[] d = call(INS_QUERY_MAIN_HWM, 0, 0, new byte[0], timeout, Context.OTHER);
        if (d.length == 8) {
            return new Hwm(int32(d, 0), int32(d, 4));
        }
        if (d.length == 4) {
            return new Hwm(int32(d, 0), 0);
        }
        throw new LedgerException.DeviceFailure("QUERY_MAIN_HWM reply of " + d.length + " bytes", -1);
    }

    /** QUERY_ALL_HWM, parsed by length: 20 bytes Tenderbake, 12 bytes legacy (s.7 item 4). */
    public AllHwm queryAllHwm() throws LedgerException, TransportException {
        byte[] d = call(INS_QUERY_ALL_HWM, 0, 0, new byte[0], timeout, Context.OTHER);
        if (d.length == 20) {
            return new AllHwm(
                    new Hwm(int32(d, 0), int32(d, 4)),
                    new Hwm(int32(d, 8), int32(d, 12)),
                    Arrays.copyOfRange(d, 16, 20),
                    false);
        }
        if (d.length == 12) {
            return new AllHwm(new Hwm(int32(d, 0), 0), new Hwm(int32(d, 4), 0), Arrays.copyOfRange(d, 8, 12), true);
        }
        throw new LedgerException.DeviceFailure("QUERY_ALL_HWM reply of " + d.length + " bytes", -1);
    }

    /** DEAUTHORIZE: clears the authorized key, without a prompt. */
    public void deauthorize() throws LedgerException, TransportException {
        expectEmpty(call(INS_DEAUTHORIZE, 0, 0, new byte[0], timeout, Context.OTHER), "DEAUTHORIZE");
    }

    /** HMAC (INS 0x0E, s.3.7): 32 bytes. */
    public byte[] hmac(LedgerCurve curve, Bip32Path path, byte[] message) throws LedgerException, TransportException {
        checkPath(curve, path);
        byte[] p = path.encode();
        if (p.length + message.length > MAX_DATA) {
            throw new LedgerException.BadRequest(
                    "HMAC path + message of " + (p.length + message.length) + " bytes exceeds " + MAX_DATA, -1);
        }
        byte[] data = Arrays.copyOf(p, p.length + message.length);
        System.arraycopy(message, 0, data, p.length, message.length);
        byte[] d = call(INS_HMAC, 0, curve.code(), data, timeout, Context.OTHER);
        if (d.length != 32) {
            throw new LedgerException.DeviceFailure("HMAC reply of " + d.length + " bytes, expected 32", -1);
        }
        return d;
    }

    /**
     * SIGN_WITH_HASH (s.3.5): the key APDU, then the whole message in one APDU; checks the returned
     * hash against our own blake2b-256 of the message.
     *
     * @return the raw device signature (DER with parity flag for ECDSA)
     */
    public byte[] signWithHash(LedgerCurve curve, Bip32Path path, byte[] message)
            throws LedgerException, TransportException {
        byte[] d = sign(INS_SIGN_WITH_HASH, curve, path, message);
        if (d.length < 33) {
            throw new LedgerException.DeviceFailure("SIGN_WITH_HASH reply of " + d.length + " bytes", -1);
        }
        byte[] hash = Arrays.copyOf(d, 32);
        if (!MessageDigest.isEqual(hash, Blake2b.hash256(message))) {
            throw new LedgerException.DeviceFailure(
                    "signing hash mismatch: the device hashed other bytes than we sent", -1);
        }
        return Arrays.copyOfRange(d, 32, d.length);
    }

    /** SIGN (INS 0x04): the raw device signature. */
    public byte[] signPlain(LedgerCurve curve, Bip32Path path, byte[] message)
            throws LedgerException, TransportException {
        return sign(INS_SIGN, curve, path, message);
    }

    private byte[] sign(int ins, LedgerCurve curve, Bip32Path path, byte[] message)
            throws LedgerException, TransportException {
        checkMessage(message);
        checkPath(curve, path);
        expectEmpty(call(ins, P1_FIRST, curve.code(), path.encode(), timeout, Context.SIGN), "sign key APDU");
        return call(ins, P1_LAST_NEXT, curve.code(), message, timeout, Context.SIGN);
    }

    /** Refuses, before any I/O, what the app cannot sign in its single message APDU (s.3.5). */
    public static void checkMessage(byte[] message) throws LedgerException.BadRequest {
        if (message.length == 0) {
            throw new LedgerException.BadRequest("empty message", -1);
        }
        if (message.length > MAX_DATA) {
            throw new LedgerException.BadRequest(
                    "message of " + message.length + " bytes exceeds the Baking app's limit of " + MAX_DATA
                            + " bytes (one APDU per signature); refused before contacting the device",
                    -1);
        }
    }

    /**
     * OS-level probe of the app in front ({@code B0 01 00 00 00}, s.3.8): e.g. {@code BOLOS} for the
     * dashboard, {@code Tezos Baking}.
     */
    public String runningAppName() throws LedgerException, TransportException {
        ResponseApdu r = exchange(new byte[] {(byte) 0xB0, 0x01, 0, 0, 0}, timeout);
        byte[] d = check(r, 0x01, Context.OTHER);
        if (d.length < 2 || d[0] != 0x01 || (d[1] & 0xff) + 2 > d.length) {
            throw new LedgerException.DeviceFailure("malformed app name reply", -1);
        }
        return new String(d, 2, d[1] & 0xff, StandardCharsets.US_ASCII);
    }

    private static void checkPath(LedgerCurve curve, Bip32Path path) throws LedgerException.BadRequest {
        if (path.size() == 0) {
            throw new LedgerException.BadRequest("empty derivation path", -1);
        }
        if (curve.hardenedOnly() && !path.allHardened()) {
            throw new LedgerException.BadRequest("Ed25519 paths must be hardened only: " + path, -1);
        }
        if (curve == LedgerCurve.BLS12_381) {
            throw new LedgerException.BadRequest(
                    "BLS keys on a Ledger are unsupported (no proof of possession, s.7 item 12)", -1);
        }
    }

    private static void checkLevel(int level) throws LedgerException.BadRequest {
        if (level < 0 || (level & 0x40000000) != 0) {
            throw new LedgerException.BadRequest("level " + level + " has bit 31 or 30 set", -1);
        }
    }

    private static Bip32Path parsePathExactly(byte[] d, int off, String what) throws LedgerException.DeviceFailure {
        try {
            Bip32Path p = Bip32Path.decode(d, off);
            if (off + p.encodedLength() != d.length) {
                throw new LedgerException.DeviceFailure(what + " reply has trailing bytes", -1);
            }
            return p;
        } catch (IllegalArgumentException e) {
            throw new LedgerException.DeviceFailure(what + " reply: " + e.getMessage(), -1);
        }
    }

    private static void expectEmpty(byte[] d, String what) throws LedgerException.DeviceFailure {
        if (d.length != 0) {
            throw new LedgerException.DeviceFailure(what + " replied " + d.length + " unexpected bytes", -1);
        }
    }

    enum Context {
        SIGN,
        PUBLIC_KEY,
        OTHER
    }

    private byte[] call(int ins, int p1, int p2, byte[] data, Duration t, Context ctx)
            throws LedgerException, TransportException {
        return check(exchange(command(ins, p1, p2, data), t), ins, ctx);
    }

    private ResponseApdu exchange(byte[] apdu, Duration t) throws TransportException {
        return transport.exchange(apdu, t);
    }

    /** Maps a status word to the typed error of s.3.8 / s.8.1 layer 4. */
    static byte[] check(ResponseApdu r, int ins, Context ctx) throws LedgerException {
        int sw = r.sw();
        String where = String.format("INS 0x%02X", ins);
        switch (sw) {
            case ResponseApdu.SW_OK:
                return r.data();
            case 0x5515:
                throw new LedgerException.DeviceLocked(
                        "the Ledger is locked (" + LedgerException.hex(sw) + "): enter the PIN on the device", sw);
            case 0x6982:
                if (ctx == Context.SIGN) {
                    throw new LedgerException.KeyNotAuthorized("the device refused to sign (0x6982): the key is not"
                            + " its authorized baking key, or the PIN is not entered; run `bakeguard ledger info`");
                }
                if (ctx == Context.PUBLIC_KEY) {
                    throw new LedgerException.DeviceLocked(
                            "the device refused (0x6982): PIN not validated; unlock the Ledger", sw);
                }
                throw new LedgerException.BadRequest(where + " refused with 0x6982 (security status)", sw);
            case 0x6A80:
                if (ctx == Context.SIGN) {
                    throw new LedgerException.HwmRefused("the device's high watermark refused the message (0x6A80)");
                }
                throw new LedgerException.BadRequest(where + " refused: wrong values (0x6A80)", sw);
            case 0x9405:
                throw new LedgerException.MessageRejected(
                        "the Baking app could not parse or will not sign this message (0x9405)");
            case 0x6985:
                throw new LedgerException.UserRejected("rejected on the device (0x6985)");
            case 0x6E00, 0x6E01, 0x6D00, 0x6901:
                throw new LedgerException.AppNotOpen(
                        "the Tezos Baking app is not open (" + LedgerException.hex(sw) + "): open it on the device",
                        sw);
            case 0x6B00, 0x6C00, 0x917E, 0x6A88:
                throw new LedgerException.BadRequest(
                        where + " refused as malformed (" + LedgerException.hex(sw) + ")", sw);
            default:
                throw new LedgerException.DeviceFailure(where + " failed with status " + LedgerException.hex(sw), sw);
        }
    }

    static byte[] int32(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    static int int32(byte[] d, int off) {
        return ((d[off] & 0xff) << 24) | ((d[off + 1] & 0xff) << 16) | ((d[off + 2] & 0xff) << 8) | (d[off + 3] & 0xff);
    }
}
