package io.bakeguard.bench;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * The bytes a Tenderbake baker asks its signer to sign for (pre)attestations, built the way octez
 * forges them (spec/tezos-remote-signer.md s.3.3): magic ‖ chain_id(4) ‖ branch(32) ‖ tag ‖ slot u16 ‖
 * level i32 ‖ round i32 ‖ block payload hash(32), 80 bytes. The branch and payload hash are derived
 * from the level so that every level carries distinct data, as on a real chain.
 */
final class ConsensusRequests {
    static final int LENGTH = 80;
    static final byte PREATTESTATION_MAGIC = 0x12;
    static final byte ATTESTATION_MAGIC = 0x13;
    static final byte PREATTESTATION_TAG = 20;
    static final byte ATTESTATION_TAG = 21;

    /** The kinds the load tool can send. */
    enum Kind {
        ATTESTATION,
        PREATTESTATION,
        /** A preattestation then an attestation at each level, as a baker does in a normal round. */
        CONSENSUS;

        static Kind parse(String s) {
            for (Kind k : values()) {
                if (k.name().equalsIgnoreCase(s)) {
                    return k;
                }
            }
            throw new IllegalArgumentException(
                    "--kind must be attestation, preattestation or consensus, got '" + s + "'");
        }
    }

    private final byte[] chainId;

    ConsensusRequests(byte[] chainId) {
        if (chainId.length != 4) {
            throw new IllegalArgumentException("chain id must be 4 bytes, got " + chainId.length);
        }
        this.chainId = chainId.clone();
    }

    /** The request bytes for one key's (pre)attestation at (level, round) with the given slot. */
    byte[] build(boolean attestation, int slot, int level, int round) {
        ByteBuffer b = ByteBuffer.allocate(LENGTH);
        b.put(attestation ? ATTESTATION_MAGIC : PREATTESTATION_MAGIC);
        b.put(chainId);
        fill(b, 32, level, 0x5a);
        b.put(attestation ? ATTESTATION_TAG : PREATTESTATION_TAG);
        b.putShort((short) slot);
        b.putInt(level);
        b.putInt(round);
        fill(b, 32, level, 0xa5);
        return b.array();
    }

    /** The JSON body octez sends: a JSON string of lowercase hex. */
    static byte[] jsonBody(byte[] request) {
        return ("\"" + HexFormat.of().formatHex(request) + "\"").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** 32 bytes that depend on the level: a cheap stand-in for a block or payload hash. */
    private static void fill(ByteBuffer b, int n, int level, int salt) {
        int x = level * 0x9E3779B1 ^ salt;
        for (int i = 0; i < n; i++) {
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            b.put((byte) x);
        }
    }
}
