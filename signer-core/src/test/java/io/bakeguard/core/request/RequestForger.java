package io.bakeguard.core.request;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * A test-only encoder of the layouts of spec/tezos-remote-signer.md s.3, written from the spec
 * tables independently of the decoder, so that decode(forge(x)) == x checks both.
 */
final class RequestForger {
    private RequestForger() {}

    /** The fields of a 0x11 block request (s.3.2). */
    record Block(
            byte[] chainId,
            int level,
            int proto,
            byte[] predecessor,
            long timestamp,
            int validationPasses,
            byte[] operationsHash,
            Optional<Integer> lockedRound,
            int predecessorRound,
            int round,
            byte[] context,
            byte[] payloadHash,
            int payloadRound,
            byte[] powNonce,
            Optional<byte[]> seedNonceHash,
            int perBlockVotes) {}

    /** The fields of a 0x12 / 0x13 request (s.3.3); {@code slot} is ignored for tags 40 and 41. */
    record ConsensusOp(
            int magic,
            byte[] chainId,
            byte[] branch,
            int tag,
            int slot,
            int level,
            int round,
            byte[] payloadHash,
            Optional<BigInteger> dal) {}

    static byte[] block(Block b) {
        Out o = new Out();
        o.u8(0x11).raw(b.chainId()).i32(b.level()).u8(b.proto()).raw(b.predecessor());
        o.i64(b.timestamp()).u8(b.validationPasses()).raw(b.operationsHash());
        o.i32(b.lockedRound().isPresent() ? 37 : 33);
        o.i32(1).u8(2);
        o.i32(4).i32(b.level());
        if (b.lockedRound().isPresent()) {
            o.i32(4).i32(b.lockedRound().get());
        } else {
            o.i32(0);
        }
        o.i32(4).i32(-b.predecessorRound() - 1);
        o.i32(4).i32(b.round());
        o.raw(b.context()).raw(b.payloadHash()).i32(b.payloadRound()).raw(b.powNonce());
        if (b.seedNonceHash().isPresent()) {
            o.u8(0xff).raw(b.seedNonceHash().get());
        } else {
            o.u8(0);
        }
        o.u8(b.perBlockVotes());
        return o.bytes();
    }

    static byte[] consensus(ConsensusOp c) {
        Out o = new Out();
        o.u8(c.magic()).raw(c.chainId()).raw(c.branch()).u8(c.tag());
        if (c.tag() == 20 || c.tag() == 21 || c.tag() == 23) {
            o.u16(c.slot());
        }
        o.i32(c.level()).i32(c.round()).raw(c.payloadHash());
        if (c.tag() == 23) {
            o.zarithZ(c.dal().orElseThrow());
        }
        return o.bytes();
    }

    static Block randomBlock(Random rnd) {
        return new Block(
                randomBytes(rnd, 4),
                rnd.nextInt(Integer.MAX_VALUE),
                rnd.nextInt(256),
                randomBytes(rnd, 32),
                rnd.nextLong(),
                rnd.nextInt(256),
                randomBytes(rnd, 32),
                rnd.nextBoolean() ? Optional.of(rnd.nextInt(Integer.MAX_VALUE)) : Optional.empty(),
                rnd.nextInt(Integer.MAX_VALUE),
                smallOrAny(rnd),
                randomBytes(rnd, 32),
                randomBytes(rnd, 32),
                smallOrAny(rnd),
                randomBytes(rnd, 8),
                rnd.nextBoolean() ? Optional.of(randomBytes(rnd, 32)) : Optional.empty(),
                rnd.nextInt(256));
    }

    static ConsensusOp randomConsensus(Random rnd) {
        int[] tags = {20, 21, 23, 40, 41};
        int tag = tags[rnd.nextInt(tags.length)];
        int magic = tag == 20 || tag == 40 ? 0x12 : 0x13;
        Optional<BigInteger> dal = tag == 23 ? Optional.of(new BigInteger(rnd.nextInt(300), rnd)) : Optional.empty();
        return new ConsensusOp(
                magic,
                randomBytes(rnd, 4),
                randomBytes(rnd, 32),
                tag,
                rnd.nextInt(65536),
                rnd.nextInt(Integer.MAX_VALUE),
                smallOrAny(rnd),
                randomBytes(rnd, 32),
                dal);
    }

    /** Generic operation contents of every kind the decoder supports, with random field values. */
    static byte[] genericContent(OperationKind kind, Random rnd) {
        Out o = new Out();
        o.u8(kind.tag());
        if (kind.isManager()) {
            o.pkh(rnd).zarithN(rnd).zarithN(rnd).zarithN(rnd).zarithN(rnd);
        }
        switch (kind) {
            case SEED_NONCE_REVELATION -> o.i32(rnd.nextInt()).raw(randomBytes(rnd, 32));
            case ACTIVATE_ACCOUNT -> o.raw(randomBytes(rnd, 40));
            case PROPOSALS -> {
                int n = rnd.nextInt(4);
                o.pkh(rnd).i32(rnd.nextInt()).i32(32 * n).raw(randomBytes(rnd, 32 * n));
            }
            case BALLOT ->
                o.pkh(rnd).i32(rnd.nextInt()).raw(randomBytes(rnd, 32)).u8(rnd.nextInt(3));
            case VDF_REVELATION -> o.raw(randomBytes(rnd, 200));
            case DRAIN_DELEGATE -> o.pkh(rnd).pkh(rnd).pkh(rnd);
            case FAILING_NOOP -> o.sized(randomBytes(rnd, rnd.nextInt(40)));
            case REVEAL, UPDATE_CONSENSUS_KEY, UPDATE_COMPANION_KEY ->
                o.publicKey(rnd).proof(rnd);
            case TRANSACTION -> {
                o.zarithN(rnd).contract(rnd, true);
                if (rnd.nextBoolean()) {
                    o.u8(0xff);
                    if (rnd.nextBoolean()) {
                        o.u8(rnd.nextInt(10));
                    } else {
                        byte[] name =
                                "fulfill_ask".substring(0, 1 + rnd.nextInt(11)).getBytes();
                        o.u8(0xff).u8(name.length).raw(name);
                    }
                    o.sized(randomBytes(rnd, rnd.nextInt(30)));
                } else {
                    o.u8(0);
                }
            }
            case ORIGINATION -> {
                o.zarithN(rnd);
                if (rnd.nextBoolean()) {
                    o.u8(0xff).pkh(rnd);
                } else {
                    o.u8(0);
                }
                o.sized(randomBytes(rnd, rnd.nextInt(50))).sized(randomBytes(rnd, rnd.nextInt(10)));
            }
            case DELEGATION -> {
                if (rnd.nextBoolean()) {
                    o.u8(0xff).pkh(rnd);
                } else {
                    o.u8(0);
                }
            }
            case REGISTER_GLOBAL_CONSTANT -> o.sized(randomBytes(rnd, rnd.nextInt(30)));
            case SET_DEPOSITS_LIMIT -> {
                if (rnd.nextBoolean()) {
                    o.u8(0xff).zarithN(rnd);
                } else {
                    o.u8(0);
                }
            }
            case INCREASE_PAID_STORAGE -> {
                BigInteger amount = new BigInteger(rnd.nextInt(70), rnd);
                o.zarithZ(rnd.nextBoolean() ? amount : amount.negate());
                o.u8(1).raw(randomBytes(rnd, 20)).u8(0);
            }
            case TRANSFER_TICKET -> {
                o.sized(randomBytes(rnd, rnd.nextInt(20))).sized(randomBytes(rnd, rnd.nextInt(20)));
                o.contract(rnd, false).zarithN(rnd).contract(rnd, false).sized("default".getBytes());
            }
            default -> throw new IllegalArgumentException("no forger for " + kind);
        }
        return o.bytes();
    }

    /** The kinds {@link #genericContent} can forge (every kind whose layout the spec gives). */
    static final List<OperationKind> FORGEABLE = List.of(
            OperationKind.SEED_NONCE_REVELATION,
            OperationKind.ACTIVATE_ACCOUNT,
            OperationKind.PROPOSALS,
            OperationKind.BALLOT,
            OperationKind.VDF_REVELATION,
            OperationKind.DRAIN_DELEGATE,
            OperationKind.FAILING_NOOP,
            OperationKind.REVEAL,
            OperationKind.TRANSACTION,
            OperationKind.ORIGINATION,
            OperationKind.DELEGATION,
            OperationKind.REGISTER_GLOBAL_CONSTANT,
            OperationKind.SET_DEPOSITS_LIMIT,
            OperationKind.INCREASE_PAID_STORAGE,
            OperationKind.UPDATE_CONSENSUS_KEY,
            OperationKind.UPDATE_COMPANION_KEY,
            OperationKind.TRANSFER_TICKET);

    static byte[] generic(byte[] branch, List<byte[]> contents) {
        Out o = new Out();
        o.u8(0x03).raw(branch);
        contents.forEach(o::raw);
        return o.bytes();
    }

    static byte[] randomBytes(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    private static int smallOrAny(Random rnd) {
        return rnd.nextBoolean() ? rnd.nextInt(5) : rnd.nextInt(Integer.MAX_VALUE);
    }

    /** A byte sink with the Data_encoding primitives (s.3.1). */
    static final class Out {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Out u8(int v) {
            out.write(v);
            return this;
        }

        Out u16(int v) {
            return u8(v >>> 8).u8(v & 0xff);
        }

        Out i32(int v) {
            return u8(v >>> 24).u8((v >>> 16) & 0xff).u8((v >>> 8) & 0xff).u8(v & 0xff);
        }

        Out i64(long v) {
            return i32((int) (v >>> 32)).i32((int) v);
        }

        Out raw(byte[] b) {
            out.write(b, 0, b.length);
            return this;
        }

        Out sized(byte[] b) {
            return i32(b.length).raw(b);
        }

        Out pkh(Random rnd) {
            return u8(rnd.nextInt(5)).raw(randomBytes(rnd, 20));
        }

        Out publicKey(Random rnd) {
            int[] lengths = {32, 33, 33, 48};
            int tag = rnd.nextInt(lengths.length);
            return u8(tag).raw(randomBytes(rnd, lengths[tag]));
        }

        Out proof(Random rnd) {
            return rnd.nextBoolean() ? u8(0) : u8(0xff).sized(randomBytes(rnd, 96));
        }

        Out contract(Random rnd, boolean destination) {
            int[] tags = destination ? new int[] {0, 1, 3, 4} : new int[] {0, 1};
            int tag = tags[rnd.nextInt(tags.length)];
            u8(tag);
            return tag == 0 ? pkh(rnd) : raw(randomBytes(rnd, 20)).u8(0);
        }

        Out zarithN(Random rnd) {
            return zarithN(new BigInteger(rnd.nextInt(80), rnd));
        }

        Out zarithN(BigInteger n) {
            do {
                int b = n.intValue() & 0x7f;
                n = n.shiftRight(7);
                u8(n.signum() > 0 ? b | 0x80 : b);
            } while (n.signum() > 0);
            return this;
        }

        Out zarithZ(BigInteger z) {
            BigInteger abs = z.abs();
            int first = abs.intValue() & 0x3f;
            if (z.signum() < 0) {
                first |= 0x40;
            }
            BigInteger rest = abs.shiftRight(6);
            if (rest.signum() == 0) {
                return u8(first);
            }
            u8(first | 0x80);
            return zarithN(rest);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
