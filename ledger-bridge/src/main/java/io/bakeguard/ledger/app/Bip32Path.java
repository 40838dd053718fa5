package io.bakeguard.ledger.app;

import java.util.Arrays;
import java.util.Locale;

/**
 * A BIP32 derivation path as the Baking app reads it (spec/ledger-baking-apdu.md s.3.2): a count byte
 * (1..10) then each component as 4 big-endian bytes, hardened components with bit 31 set.
 */
public final class Bip32Path {
    public static final int MAX_COMPONENTS = 10;
    public static final int HARDENED = 0x80000000;
    /** {@code 44'/1729'}: the app's prefix, and octez's device-ID key path. */
    public static final Bip32Path TEZOS_ROOT = new Bip32Path(new int[] {44 | HARDENED, 1729 | HARDENED});

    private final int[] components;

    public Bip32Path(int[] components) {
        if (components.length > MAX_COMPONENTS) {
            throw new IllegalArgumentException(
                    "a path has at most " + MAX_COMPONENTS + " components, got " + components.length);
        }
        this.components = components.clone();
    }

    public int[] components() {
        return components.clone();
    }

    public int size() {
        return components.length;
    }

    public boolean allHardened() {
        for (int c : components) {
            if ((c & HARDENED) == 0) {
                return false;
            }
        }
        return true;
    }

    /** This path followed by {@code more}. */
    public Bip32Path append(Bip32Path more) {
        int[] all = Arrays.copyOf(components, components.length + more.components.length);
        System.arraycopy(more.components, 0, all, components.length, more.components.length);
        return new Bip32Path(all);
    }

    /** Count byte + 4 bytes per component. */
    public byte[] encode() {
        byte[] out = new byte[1 + 4 * components.length];
        out[0] = (byte) components.length;
        for (int i = 0; i < components.length; i++) {
            int c = components[i];
            out[1 + 4 * i] = (byte) (c >>> 24);
            out[2 + 4 * i] = (byte) (c >>> 16);
            out[3 + 4 * i] = (byte) (c >>> 8);
            out[4 + 4 * i] = (byte) c;
        }
        return out;
    }

    /** Number of bytes {@link #decode} consumed for a path starting at {@code offset}. */
    public int encodedLength() {
        return 1 + 4 * components.length;
    }

    /**
     * Reads a path at {@code offset}.
     *
     * @throws IllegalArgumentException when the count is 0 or over 10 or the bytes are truncated
     */
    public static Bip32Path decode(byte[] data, int offset) {
        if (offset >= data.length) {
            throw new IllegalArgumentException("missing path count byte");
        }
        int n = data[offset] & 0xff;
        if (n > MAX_COMPONENTS) {
            throw new IllegalArgumentException("path of " + n + " components, at most " + MAX_COMPONENTS);
        }
        if (offset + 1 + 4 * n > data.length) {
            throw new IllegalArgumentException("path truncated");
        }
        int[] c = new int[n];
        for (int i = 0; i < n; i++) {
            int p = offset + 1 + 4 * i;
            c[i] = ((data[p] & 0xff) << 24)
                    | ((data[p + 1] & 0xff) << 16)
                    | ((data[p + 2] & 0xff) << 8)
                    | (data[p + 3] & 0xff);
        }
        return new Bip32Path(c);
    }

    /**
     * Parses {@code 44'/1729'/0'/0'} or {@code 0h/0h}; components end in {@code '} or {@code h} when
     * hardened.
     */
    public static Bip32Path parse(String text) {
        String t = text.startsWith("m/") ? text.substring(2) : text;
        if (t.isEmpty()) {
            return new Bip32Path(new int[0]);
        }
        String[] parts = t.split("/", -1);
        int[] c = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].toLowerCase(Locale.ROOT);
            boolean hard = p.endsWith("'") || p.endsWith("h");
            String digits = hard ? p.substring(0, p.length() - 1) : p;
            if (digits.isEmpty() || digits.length() > 10 || !digits.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("bad path component '" + parts[i] + "' in " + text);
            }
            long v = Long.parseLong(digits);
            if (v >= 0x80000000L) {
                throw new IllegalArgumentException("path component " + v + " too large in " + text);
            }
            c[i] = (int) v | (hard ? HARDENED : 0);
        }
        return new Bip32Path(c);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bip32Path p && Arrays.equals(p.components, components);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(components);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int c : components) {
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(c & 0x7fffffff);
            if ((c & HARDENED) != 0) {
                sb.append('\'');
            }
        }
        return sb.toString();
    }
}
