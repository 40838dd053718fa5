package io.bakeguard.ledger.sim;

import io.bakeguard.ledger.apdu.ResponseApdu;
import io.bakeguard.ledger.hid.HidFrameCodec;
import io.bakeguard.ledger.hid.HidIo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One opened HID handle on a {@link SimulatedLedger}, running the device side of the framing
 * (spec/ledger-baking-apdu.md s.2.3, {@code os_io_usb.c}): the reply echoes the request's channel and
 * is padded to 64-byte frames; a request frame out of sequence or announcing more than the APDU
 * buffer silently discards the message. The handle dies when the device is unplugged.
 */
public final class InMemoryHidDevice implements HidIo {
    /** The device's APDU buffer (5 + 255 bytes). */
    static final int APDU_BUFFER = 260;

    private static final long POLL_MILLIS = 10;

    private final SimulatedLedger device;
    private final int generation;
    private final String path;
    private final LinkedBlockingQueue<byte[]> replies = new LinkedBlockingQueue<>();
    private final ByteArrayOutputStream request = new ByteArrayOutputStream();
    private int requestTotal = -1;
    private int requestChannel;
    private int expectedSeq;
    private long exchangeStart = -1;
    private int replyFramesLeft;
    private volatile boolean closed;

    InMemoryHidDevice(SimulatedLedger device, int generation, String path) {
        this.device = device;
        this.generation = generation;
        this.path = path;
    }

    private void checkAlive() throws IOException {
        if (closed) {
            throw new IOException("handle closed");
        }
        if (!device.plugged() || device.generation() != generation) {
            throw new IOException("device " + path + " disconnected (EIO)");
        }
    }

    @Override
    public void write(byte[] frame) throws IOException {
        checkAlive();
        if (frame.length != HidFrameCodec.FRAME_SIZE) {
            throw new IOException("HID write of " + frame.length + " bytes");
        }
        int channel = HidFrameCodec.channelOf(frame);
        int tag = frame[2] & 0xff;
        int seq = ((frame[3] & 0xff) << 8) | (frame[4] & 0xff);
        if (tag != HidFrameCodec.TAG_APDU) {
            return; // other tags (ping, allocate channel) are not modelled: ignored
        }
        if (seq == 0) {
            int total = ((frame[5] & 0xff) << 8) | (frame[6] & 0xff);
            request.reset();
            expectedSeq = 0;
            requestTotal = -1;
            if (total > APDU_BUFFER) {
                return; // dropped silently, the host times out
            }
            requestTotal = total;
            requestChannel = channel;
            if (exchangeStart < 0) {
                exchangeStart = device.beginExchange();
            }
            request.write(frame, 7, Math.min(57, total));
        } else {
            if (requestTotal < 0 || seq != expectedSeq || channel != requestChannel) {
                request.reset();
                requestTotal = -1;
                return; // out of sequence: message discarded silently
            }
            request.write(frame, 5, Math.min(59, requestTotal - request.size()));
        }
        expectedSeq = seq + 1;
        if (request.size() == requestTotal) {
            byte[] apdu = request.toByteArray();
            requestTotal = -1;
            deliver(apdu, requestChannel);
        }
    }

    private void deliver(byte[] apdu, int channel) throws IOException {
        SimulatedLedger.Outcome o = device.exchange(apdu);
        if (o.unplugged()) {
            finishExchange();
            throw new IOException("device " + path + " disconnected during the exchange");
        }
        if (o.reply().isEmpty()) {
            finishExchange();
            return;
        }
        ResponseApdu r = o.reply().get();
        List<byte[]> frames = HidFrameCodec.encode(channel, r.toBytes());
        if (o.delayMillis() <= 0) {
            replyFramesLeft = frames.size();
            replies.addAll(frames);
        } else {
            replyFramesLeft = frames.size();
            device.schedule(
                    () -> {
                        if (!closed && device.generation() == generation) {
                            replies.addAll(frames);
                        }
                    },
                    o.delayMillis());
        }
    }

    private void finishExchange() {
        if (exchangeStart >= 0) {
            device.endExchange(exchangeStart);
            exchangeStart = -1;
        }
        replyFramesLeft = 0;
    }

    @Override
    public int read(byte[] buf, int timeoutMs) throws IOException {
        checkAlive();
        if (timeoutMs <= 0) {
            // A non-blocking read is how the host drains before a new exchange: the previous one is over.
            byte[] f = replies.poll();
            if (f == null) {
                finishExchange();
                return 0;
            }
            System.arraycopy(f, 0, buf, 0, f.length);
            return f.length;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return 0;
            }
            byte[] f;
            try {
                f = replies.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS)), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
            checkAlive();
            if (f != null) {
                System.arraycopy(f, 0, buf, 0, f.length);
                if (replyFramesLeft > 0 && --replyFramesLeft == 0) {
                    finishExchange();
                }
                return f.length;
            }
        }
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public void close() {
        closed = true;
        finishExchange();
    }
}
