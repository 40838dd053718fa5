package io.bakeguard.ledger.apdu;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Speculos' APDU-over-TCP framing (spec/ledger-baking-apdu.md s.5). Request: 4-byte big-endian length
 * N then N APDU bytes. Response: 4-byte big-endian length L of the data WITHOUT the status word, then
 * L data bytes, then the 2 status-word bytes. Used by the TCP transport, the simulator's listener and
 * the TLS bridge.
 */
public final class SpeculosFraming {
    /** Largest command APDU accepted: 5-byte header + 255 data bytes. */
    public static final int MAX_COMMAND = 260;
    /** Largest response data accepted (the Baking app never sends more than 32 + 97 bytes). */
    public static final int MAX_RESPONSE_DATA = 1024;

    private SpeculosFraming() {}

    public static void writeCommand(OutputStream out, byte[] apdu) throws IOException {
        out.write(int32(apdu.length));
        out.write(apdu);
        out.flush();
    }

    /** Reads one command, or returns null on a clean end of stream before the length. */
    public static byte[] readCommand(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        int first = d.read();
        if (first < 0) {
            return null;
        }
        byte[] rest = new byte[3];
        d.readFully(rest);
        int n = (first << 24) | ((rest[0] & 0xff) << 16) | ((rest[1] & 0xff) << 8) | (rest[2] & 0xff);
        if (n < 0 || n > MAX_COMMAND) {
            throw new IOException("command length " + n + " out of range 0.." + MAX_COMMAND);
        }
        byte[] apdu = new byte[n];
        d.readFully(apdu);
        return apdu;
    }

    public static void writeResponse(OutputStream out, ResponseApdu r) throws IOException {
        byte[] data = r.data();
        out.write(int32(data.length));
        out.write(data);
        out.write(new byte[] {(byte) (r.sw() >> 8), (byte) r.sw()});
        out.flush();
    }

    public static ResponseApdu readResponse(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        int l;
        try {
            l = d.readInt();
        } catch (EOFException e) {
            throw new TransportException("connection closed before the reply", e);
        }
        if (l < 0 || l > MAX_RESPONSE_DATA) {
            throw new TransportException("reply length " + l + " out of range 0.." + MAX_RESPONSE_DATA);
        }
        byte[] data = new byte[l];
        byte[] sw = new byte[2];
        try {
            d.readFully(data);
            d.readFully(sw);
        } catch (EOFException e) {
            throw new TransportException("connection closed inside a reply", e);
        }
        return new ResponseApdu(data, ((sw[0] & 0xff) << 8) | (sw[1] & 0xff));
    }

    private static byte[] int32(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }
}
