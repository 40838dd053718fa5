package io.bakeguard.ledger.apdu;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A response APDU: data then the status word.
 *
 * @param data response data (without the status word)
 * @param sw status word, {@code 0x9000} on success
 */
public record ResponseApdu(byte[] data, int sw) {
    public static final int SW_OK = 0x9000;

    public ResponseApdu {
        data = data.clone();
    }

    /** Splits raw bytes (data || SW1 SW2). */
    public static ResponseApdu parse(byte[] raw) throws TransportException {
        if (raw.length < 2) {
            throw new TransportException("response of " + raw.length + " bytes has no status word");
        }
        int sw = ((raw[raw.length - 2] & 0xff) << 8) | (raw[raw.length - 1] & 0xff);
        return new ResponseApdu(Arrays.copyOf(raw, raw.length - 2), sw);
    }

    public static ResponseApdu ofStatus(int sw) {
        return new ResponseApdu(new byte[0], sw);
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    public boolean ok() {
        return sw == SW_OK;
    }

    /** data || SW1 SW2. */
    public byte[] toBytes() {
        byte[] out = Arrays.copyOf(data, data.length + 2);
        out[data.length] = (byte) (sw >> 8);
        out[data.length + 1] = (byte) sw;
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResponseApdu r && r.sw == sw && Arrays.equals(r.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(data) + sw;
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(data) + " " + String.format("%04x", sw);
    }
}
