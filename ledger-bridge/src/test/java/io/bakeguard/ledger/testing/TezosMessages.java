package io.bakeguard.ledger.testing;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * Builds the consensus messages the Baking app parses (spec/ledger-baking-apdu.md s.4.1), with
 * all-zero hashes unless told otherwise, as the app's own tests do ({@code build_attestation}).
 */
public final class TezosMessages {
    public static final byte[] CHAIN_0 = {0, 0, 0, 0};
    public static final byte[] MAINNET = HexFormat.of().parseHex("7a06a770");

    private TezosMessages() {}

    public static byte[] chain(int n) {
        return ByteBuffer.allocate(4).putInt(n).array();
    }

    /** {@code 13 | chain | branch(32) | tag 21 | slot | level | round | payload hash(32)}: 80 bytes. */
    public static byte[] attestation(byte[] chain, int level, int round) {
        return consensus(0x13, 21, chain, level, round, 0);
    }

    /** An attestation with DAL content (tag 23): the app does not read past the payload hash. */
    public static byte[] attestationWithDal(byte[] chain, int level, int round) {
        return consensus(0x13, 23, chain, level, round, 8);
    }

    public static byte[] preattestation(byte[] chain, int level, int round) {
        return consensus(0x12, 20, chain, level, round, 0);
    }

    /** Consensus message with a payload hash filled with {@code fill} so that bytes differ. */
    public static byte[] attestation(byte[] chain, int level, int round, int fill) {
        byte[] m = attestation(chain, level, round);
        for (int i = 48; i < 80; i++) {
            m[i] = (byte) fill;
        }
        return m;
    }

    private static byte[] consensus(int magic, int tag, byte[] chain, int level, int round, int extra) {
        ByteBuffer b = ByteBuffer.allocate(80 + extra);
        b.put((byte) magic).put(chain).put(new byte[32]).put((byte) tag).putShort((short) 0);
        b.putInt(level).putInt(round).put(new byte[32]);
        if (extra > 0) {
            b.put(new byte[extra]);
        }
        return b.array();
    }

    /**
     * A Tenderbake block header as signed: 198 bytes; 230 with a seed nonce hash; 234 with also a
     * locked round.
     */
    public static byte[] block(byte[] chain, int level, int round, boolean seedNonce, boolean lockedRound) {
        int fitness = lockedRound ? 37 : 33;
        ByteBuffer b = ByteBuffer.allocate(
                1 + 4 + 4 + 1 + 32 + 8 + 1 + 32 + 4 + fitness + 32 + 32 + 4 + 8 + 1 + (seedNonce ? 32 : 0) + 1);
        b.put((byte) 0x11).put(chain).putInt(level).put((byte) 1).put(new byte[32]);
        b.putLong(1_700_000_000L).put((byte) 4).put(new byte[32]);
        b.putInt(fitness);
        b.putInt(1).put((byte) 2);
        b.putInt(4).putInt(level);
        if (lockedRound) {
            b.putInt(4).putInt(round);
        } else {
            b.putInt(0);
        }
        b.putInt(4).putInt(0); // predecessor round
        b.putInt(4).putInt(round);
        b.put(new byte[32]).put(new byte[32]).putInt(0).putLong(0);
        if (seedNonce) {
            b.put((byte) 0xff).put(new byte[32]);
        } else {
            b.put((byte) 0);
        }
        b.put((byte) 0); // per-block votes
        return b.array();
    }

    public static byte[] block(byte[] chain, int level, int round) {
        return block(chain, level, round, false, false);
    }
}
