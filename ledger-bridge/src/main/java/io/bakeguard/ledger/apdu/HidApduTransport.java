package io.bakeguard.ledger.apdu;

import io.bakeguard.ledger.hid.HidFrameCodec;
import io.bakeguard.ledger.hid.HidFrameException;
import io.bakeguard.ledger.hid.HidIo;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * APDUs over Ledger HID framing (spec/ledger-baking-apdu.md s.2, s.8.1 layer 3). Before each exchange
 * stale input is drained; each exchange uses a fresh channel (never with high byte 0x00, s.2.4), so a
 * late reply to an abandoned exchange is recognised and dropped.
 */
public final class HidApduTransport implements ApduTransport {
    /** Bound on frames drained before an exchange (a stale 5-frame reply at most, with margin). */
    private static final int MAX_DRAIN = 64;

    private final HidIo io;
    private int channel = HidFrameCodec.DEFAULT_CHANNEL;

    public HidApduTransport(HidIo io) {
        this.io = io;
    }

    @Override
    public ResponseApdu exchange(byte[] command, Duration timeout) throws TransportException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int ch = nextChannel();
        try {
            drain();
            for (byte[] frame : HidFrameCodec.encode(ch, command)) {
                io.write(frame);
            }
            HidFrameCodec.Assembler asm = new HidFrameCodec.Assembler(ch, true, HidFrameCodec.MAX_MESSAGE);
            byte[] buf = new byte[HidFrameCodec.FRAME_SIZE];
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new TransportException(
                            "no reply from " + io.path() + " within " + timeout.toMillis() + " ms");
                }
                int n = io.read(buf, (int) Math.min(Integer.MAX_VALUE, left));
                if (n == 0) {
                    continue;
                }
                Optional<byte[]> msg = asm.accept(buf.clone());
                if (msg.isPresent()) {
                    return ResponseApdu.parse(msg.get());
                }
            }
        } catch (HidFrameException e) {
            throw new TransportException(io.path() + ": " + e.getMessage() + " (is the Baking app open?)", e);
        } catch (TransportException e) {
            throw e;
        } catch (IOException e) {
            throw new TransportException(io.path() + ": " + e.getMessage(), e);
        }
    }

    private int nextChannel() {
        int ch = channel;
        channel = channel >= 0xfeff ? HidFrameCodec.DEFAULT_CHANNEL : channel + 1;
        if ((channel >> 8) == 0) {
            channel = HidFrameCodec.DEFAULT_CHANNEL;
        }
        return ch;
    }

    private void drain() throws IOException {
        byte[] buf = new byte[HidFrameCodec.FRAME_SIZE];
        for (int i = 0; i < MAX_DRAIN && io.read(buf, 0) > 0; i++) {
            // stale frames of an abandoned exchange are discarded
        }
    }

    @Override
    public String describe() {
        return "hid:" + io.path();
    }

    @Override
    public void close() {
        io.close();
    }
}
