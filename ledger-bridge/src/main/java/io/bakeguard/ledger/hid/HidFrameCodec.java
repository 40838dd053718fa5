package io.bakeguard.ledger.hid;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Ledger "APDU over HID" framing (spec/ledger-baking-apdu.md s.2.1): 64-byte frames of channel (2),
 * tag {@code 0x05} (1), sequence index (2), then on the first frame the total length (2); 57 payload
 * bytes in the first frame and 59 in each next one, zero padded. Pure: no I/O.
 */
public final class HidFrameCodec {
    public static final int FRAME_SIZE = 64;
    public static final int TAG_APDU = 0x05;
    /** The channel octez uses; our transport starts from it (s.2.2). */
    public static final int DEFAULT_CHANNEL = 0x0101;

    static final int FIRST_PAYLOAD = FRAME_SIZE - 7;
    static final int NEXT_PAYLOAD = FRAME_SIZE - 5;
    /** The 2-byte length field bounds a message; the Baking app never needs more than 240 + 2 bytes. */
    public static final int MAX_MESSAGE = 0xffff;

    private HidFrameCodec() {}

    /** Number of frames a message of {@code length} bytes takes (s.2.1). */
    public static int frameCount(int length) {
        if (length <= FIRST_PAYLOAD) {
            return 1;
        }
        return 1 + (length - FIRST_PAYLOAD + NEXT_PAYLOAD - 1) / NEXT_PAYLOAD;
    }

    /** Splits {@code message} into 64-byte frames on {@code channel}. */
    public static List<byte[]> encode(int channel, byte[] message) {
        if (channel < 0 || channel > 0xffff) {
            throw new IllegalArgumentException("channel must fit in 16 bits: " + channel);
        }
        if (message.length > MAX_MESSAGE) {
            throw new IllegalArgumentException("message of " + message.length + " bytes exceeds " + MAX_MESSAGE);
        }
        List<byte[]> frames = new ArrayList<>(frameCount(message.length));
        int offset = 0;
        int seq = 0;
        do {
            byte[] f = new byte[FRAME_SIZE];
            f[0] = (byte) (channel >> 8);
            f[1] = (byte) channel;
            f[2] = TAG_APDU;
            f[3] = (byte) (seq >> 8);
            f[4] = (byte) seq;
            int pos = 5;
            if (seq == 0) {
                f[5] = (byte) (message.length >> 8);
                f[6] = (byte) message.length;
                pos = 7;
            }
            int n = Math.min(FRAME_SIZE - pos, message.length - offset);
            System.arraycopy(message, offset, f, pos, n);
            offset += n;
            frames.add(f);
            seq++;
        } while (offset < message.length);
        return frames;
    }

    /** The channel field of a frame. */
    public static int channelOf(byte[] frame) {
        return ((frame[0] & 0xff) << 8) | (frame[1] & 0xff);
    }

    /**
     * Reassembles one message from frames fed one at a time (s.2.3). Frames of another channel are
     * either dropped (a late reply to an abandoned exchange) or rejected, as configured; a wrong tag
     * or sequence index, a short frame or a length over the limit is an error.
     */
    public static final class Assembler {
        private final int channel;
        private final boolean dropOtherChannels;
        private final int maxLength;
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        private int expectedSeq;
        private int total = -1;
        private int dropped;

        /**
         * @param channel the channel the reply must carry
         * @param dropOtherChannels when true a frame of another channel is ignored, otherwise rejected
         * @param maxLength the largest message accepted
         */
        public Assembler(int channel, boolean dropOtherChannels, int maxLength) {
            this.channel = channel;
            this.dropOtherChannels = dropOtherChannels;
            this.maxLength = maxLength;
        }

        /**
         * Feeds one frame.
         *
         * @return the complete message once its last frame arrived, empty while more are needed
         * @throws HidFrameException when the frame does not continue this message
         */
        public Optional<byte[]> accept(byte[] frame) throws HidFrameException {
            if (frame.length != FRAME_SIZE) {
                throw new HidFrameException("HID frame of " + frame.length + " bytes, expected " + FRAME_SIZE);
            }
            if (total >= 0 && buf.size() >= total) {
                throw new HidFrameException("frame after the message was complete");
            }
            int ch = channelOf(frame);
            if (ch != channel) {
                if (dropOtherChannels) {
                    dropped++;
                    return Optional.empty();
                }
                throw new HidFrameException(String.format("invalid channel 0x%04x, expected 0x%04x", ch, channel));
            }
            if ((frame[2] & 0xff) != TAG_APDU) {
                throw new HidFrameException(String.format("invalid tag 0x%02x, expected 0x05", frame[2] & 0xff));
            }
            int seq = ((frame[3] & 0xff) << 8) | (frame[4] & 0xff);
            if (seq != expectedSeq) {
                throw new HidFrameException("unexpected sequence index " + seq + ", expected " + expectedSeq);
            }
            int pos = 5;
            if (seq == 0) {
                total = ((frame[5] & 0xff) << 8) | (frame[6] & 0xff);
                if (total > maxLength) {
                    throw new HidFrameException("announced length " + total + " exceeds the limit " + maxLength);
                }
                pos = 7;
            }
            int n = Math.min(FRAME_SIZE - pos, total - buf.size());
            buf.write(frame, pos, n);
            expectedSeq++;
            if (buf.size() == total) {
                return Optional.of(buf.toByteArray());
            }
            return Optional.empty();
        }

        /** Frames of other channels ignored so far. */
        public int droppedFrames() {
            return dropped;
        }

        /** True once the first frame of a message was accepted. */
        public boolean started() {
            return total >= 0;
        }
    }
}
