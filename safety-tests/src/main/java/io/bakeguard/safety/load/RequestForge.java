package io.bakeguard.safety.load;

import java.nio.ByteBuffer;

/** Builds consensus signing requests byte for byte as a Tenderbake baker sends them. */
public final class RequestForge {
    private RequestForge() {}

    /**
     * {@code 0x13} attestation: magic ‖ chain_id(4) ‖ branch(32) ‖ tag 21 ‖ slot u16 ‖ level i32 ‖ round i32 ‖
     * payload hash(32), 80 bytes (spec/tezos-remote-signer.md s.3.3).
     */
    public static byte[] attestation(
            byte[] chainId, byte[] branch, int slot, int level, int round, byte[] payloadHash) {
        return consensus(0x13, 21, chainId, branch, slot, level, round, payloadHash);
    }

    /** {@code 0x12} preattestation: the same layout with tag 20 (spec s.3.3). */
    public static byte[] preattestation(
            byte[] chainId, byte[] branch, int slot, int level, int round, byte[] payloadHash) {
        return consensus(0x12, 20, chainId, branch, slot, level, round, payloadHash);
    }

    private static byte[] consensus(
            int magic, int tag, byte[] chainId, byte[] branch, int slot, int level, int round, byte[] payloadHash) {
        check(chainId, 4, "chain id");
        check(branch, 32, "branch");
        check(payloadHash, 32, "payload hash");
        ByteBuffer b = ByteBuffer.allocate(80);
        b.put((byte) magic).put(chainId).put(branch).put((byte) tag);
        b.putShort((short) slot).putInt(level).putInt(round).put(payloadHash);
        return b.array();
    }

    /**
     * {@code 0x11} Tenderbake block header without locked round nor seed nonce hash, 198 bytes (spec s.3.2): the
     * fitness is version 2 ‖ level ‖ no locked round ‖ -predecessor round - 1 ‖ round.
     */
    public static byte[] block(byte[] chainId, int level, int round, byte[] predecessor, byte[] payloadHash) {
        check(chainId, 4, "chain id");
        check(predecessor, 32, "predecessor");
        check(payloadHash, 32, "payload hash");
        ByteBuffer b = ByteBuffer.allocate(198);
        b.put((byte) 0x11).put(chainId).putInt(level);
        b.put((byte) 1); // proto level
        b.put(predecessor);
        b.putLong(1_700_000_000L + level * 8L + round); // timestamp
        b.put((byte) 4); // validation passes
        b.put(new byte[32]); // operations hash
        b.putInt(33); // fitness length, no locked round
        b.putInt(1).put((byte) 2); // version
        b.putInt(4).putInt(level);
        b.putInt(0); // locked round: none
        b.putInt(4).putInt(-1); // predecessor round 0
        b.putInt(4).putInt(round);
        b.put(new byte[32]); // context hash
        b.put(payloadHash);
        b.putInt(0); // payload round
        b.putLong(0); // proof of work nonce
        b.put((byte) 0); // no seed nonce hash
        b.put((byte) 0); // per block votes
        return b.array();
    }

    private static void check(byte[] v, int len, String what) {
        if (v == null || v.length != len) {
            throw new IllegalArgumentException(what + " must be " + len + " bytes");
        }
    }
}
