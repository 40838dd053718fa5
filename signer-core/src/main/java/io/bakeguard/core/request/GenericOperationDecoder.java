package io.bakeguard.core.request;

import io.bakeguard.core.crypto.Base58Check;
import io.bakeguard.core.crypto.Prefix;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes a 0x03 generic operation: {@code 0x03 || branch(32) || content || content ...} to the end
 * (spec/tezos-remote-signer.md s.3.4). Contents carry no length, so each one is decoded far enough
 * to find where the next one starts; kinds whose layout the spec does not give are refused rather
 * than guessed, so no request is ever classified wrongly.
 */
final class GenericOperationDecoder {
    /** Public key sizes by curve tag: ed25519, secp256k1, p256, bls12-381, ml-dsa-44 (spec s.3.1). */
    private static final int[] PUBLIC_KEY_LENGTHS = {32, 33, 33, 48, 1312};
    /** Highest public key hash tag (tz5). */
    private static final int MAX_PKH_TAG = 4;
    /** A BLS signature: the Seoul+ proof of possession in reveal and update_consensus/companion_key. */
    private static final int BLS_PROOF_LENGTH = 96;
    /** Built-in entrypoints 0..9, 255 = named (spec s.3.4, transaction). */
    private static final int MAX_BUILTIN_ENTRYPOINT = 9;

    private static final int NAMED_ENTRYPOINT = 0xff;
    private static final int MAX_ENTRYPOINT_NAME = 31;

    private GenericOperationDecoder() {}

    static SigningRequest.GenericOperation decode(byte[] raw) throws DecodingException {
        ByteReader r = new ByteReader(raw, 1);
        String branch = Base58Check.encode(Prefix.BLOCK_HASH, r.bytes("branch", 32));
        if (r.atEnd()) {
            throw new DecodingException("contents", r.position(), "a generic operation needs at least one content");
        }
        List<OperationKind> kinds = new ArrayList<>();
        while (!r.atEnd()) {
            int at = r.position();
            int tag = r.u8("content tag");
            OperationKind kind = OperationKind.ofTag(tag)
                    .orElseThrow(() -> new DecodingException(
                            "content tag", at, String.format("unknown operation content tag %d (0x%02x)", tag, tag)));
            decodeContent(kind, r, at);
            kinds.add(kind);
        }
        if (kinds.size() > 1) {
            for (OperationKind k : kinds) {
                if (!k.isManager()) {
                    // operation_repr.ml of_list_internal: only manager operations are batched.
                    throw new DecodingException(
                            "contents",
                            33,
                            "a batch of " + kinds.size() + " contents may hold manager operations only, found "
                                    + k.policyName());
                }
            }
        }
        return new SigningRequest.GenericOperation(raw, branch, List.copyOf(kinds));
    }

    private static void decodeContent(OperationKind kind, ByteReader r, int tagAt) throws DecodingException {
        String k = kind.policyName();
        if (kind.isManager()) {
            if (!managerLayoutKnown(kind)) {
                throw unsupported(kind, tagAt);
            }
            pkh(r, k + " source");
            r.skipZarithN(k + " fee");
            r.skipZarithN(k + " counter");
            r.skipZarithN(k + " gas_limit");
            r.skipZarithN(k + " storage_limit");
        }
        switch (kind) {
            case SEED_NONCE_REVELATION -> {
                r.skip(k + " level", 4);
                r.skip(k + " nonce", 32);
            }
            case ACTIVATE_ACCOUNT -> {
                r.skip(k + " pkh", 20);
                r.skip(k + " secret", 20);
            }
            case PROPOSALS -> {
                pkh(r, k + " source");
                r.skip(k + " period", 4);
                int at = r.position();
                int len = r.length(k + " proposals");
                if (len % 32 != 0) {
                    throw new DecodingException(
                            k + " proposals length", at, "must be a multiple of 32 (protocol hashes), got " + len);
                }
                r.skip(k + " proposals", len);
            }
            case BALLOT -> {
                pkh(r, k + " source");
                r.skip(k + " period", 4);
                r.skip(k + " proposal", 32);
                int at = r.position();
                int ballot = r.u8(k + " ballot");
                if (ballot > 2) {
                    throw new DecodingException(
                            k + " ballot", at, "must be 0 (yay), 1 (nay) or 2 (pass), got " + ballot);
                }
            }
            case VDF_REVELATION -> {
                r.skip(k + " solution", 100);
                r.skip(k + " proof", 100);
            }
            case DRAIN_DELEGATE -> {
                pkh(r, k + " consensus_key");
                pkh(r, k + " delegate");
                pkh(r, k + " destination");
            }
            case FAILING_NOOP -> r.skipSized(k + " arbitrary");
            case REVEAL -> {
                publicKey(r, k + " public_key");
                blsProof(r, k + " proof");
            }
            case TRANSACTION -> {
                r.skipZarithN(k + " amount");
                destination(r, k + " destination");
                if (r.option(k + " parameters")) {
                    entrypoint(r, k + " entrypoint");
                    r.skipSized(k + " parameters");
                }
            }
            case ORIGINATION -> {
                r.skipZarithN(k + " balance");
                if (r.option(k + " delegate")) {
                    pkh(r, k + " delegate");
                }
                r.skipSized(k + " code");
                r.skipSized(k + " storage");
            }
            case DELEGATION -> {
                if (r.option(k + " delegate")) {
                    pkh(r, k + " delegate");
                }
            }
            case REGISTER_GLOBAL_CONSTANT -> r.skipSized(k + " value");
            case SET_DEPOSITS_LIMIT -> {
                if (r.option(k + " limit")) {
                    r.skipZarithN(k + " limit");
                }
            }
            case INCREASE_PAID_STORAGE -> {
                r.skipZarithZ(k + " amount", false);
                int at = r.position();
                if (r.u8(k + " destination") != 1) {
                    throw new DecodingException(k + " destination", at, "must be an originated contract (KT1)");
                }
                r.skip(k + " destination", 20);
                padding(r, k + " destination");
            }
            case UPDATE_CONSENSUS_KEY, UPDATE_COMPANION_KEY -> {
                publicKey(r, k + " pk");
                blsProof(r, k + " proof");
            }
            case TRANSFER_TICKET -> {
                r.skipSized(k + " ticket_contents");
                r.skipSized(k + " ticket_ty");
                contract(r, k + " ticket_ticketer");
                r.skipZarithN(k + " ticket_amount");
                contract(r, k + " destination");
                r.skipSized(k + " entrypoint");
            }
            default -> throw unsupported(kind, tagAt);
        }
    }

    /** Manager kinds whose fields spec s.3.4 gives; rollup and DAL kinds are refused. */
    private static boolean managerLayoutKnown(OperationKind kind) {
        return switch (kind) {
            case REVEAL,
                    TRANSACTION,
                    ORIGINATION,
                    DELEGATION,
                    REGISTER_GLOBAL_CONSTANT,
                    SET_DEPOSITS_LIMIT,
                    INCREASE_PAID_STORAGE,
                    UPDATE_CONSENSUS_KEY,
                    UPDATE_COMPANION_KEY,
                    TRANSFER_TICKET -> true;
            default -> false;
        };
    }

    private static DecodingException unsupported(OperationKind kind, int at) {
        return new DecodingException(
                "content tag", at, "operation kind " + kind.policyName() + " is not supported by the decoder");
    }

    /** pkh21: curve tag (0 tz1 .. 4 tz5) and 20 bytes. */
    private static void pkh(ByteReader r, String field) throws DecodingException {
        int at = r.position();
        int tag = r.u8(field);
        if (tag > MAX_PKH_TAG) {
            throw new DecodingException(field, at, "unknown public key hash tag " + tag);
        }
        r.skip(field, 20);
    }

    private static void publicKey(ByteReader r, String field) throws DecodingException {
        int at = r.position();
        int tag = r.u8(field);
        if (tag >= PUBLIC_KEY_LENGTHS.length) {
            throw new DecodingException(field, at, "unknown public key tag " + tag);
        }
        r.skip(field, PUBLIC_KEY_LENGTHS[tag]);
    }

    /**
     * The Seoul+ proof option: {@code 00}, or {@code ff || u32 len (96) || BLS signature}. Requests
     * in the older layout without this byte end too early and are refused here.
     */
    private static void blsProof(ByteReader r, String field) throws DecodingException {
        if (r.option(field)) {
            int at = r.position();
            int len = r.length(field);
            if (len != BLS_PROOF_LENGTH) {
                throw new DecodingException(field, at, "must be a 96-byte BLS signature, got " + len + " bytes");
            }
            r.skip(field, len);
        }
    }

    /** Contract id (22 bytes): {@code 00 || pkh21} or {@code 01 || KT1 hash(20) || 00}. */
    private static void contract(ByteReader r, String field) throws DecodingException {
        int at = r.position();
        int tag = r.u8(field);
        switch (tag) {
            case 0 -> pkh(r, field);
            case 1 -> {
                r.skip(field, 20);
                padding(r, field);
            }
            default -> throw new DecodingException(field, at, "unknown contract tag " + tag);
        }
    }

    /** A transaction destination: a contract, or a smart (3) or zk (4) rollup address, each 22 bytes. */
    private static void destination(ByteReader r, String field) throws DecodingException {
        int at = r.position();
        int tag = r.u8(field);
        switch (tag) {
            case 0 -> pkh(r, field);
            case 1, 3, 4 -> {
                r.skip(field, 20);
                padding(r, field);
            }
            default -> throw new DecodingException(field, at, "unknown destination tag " + tag);
        }
    }

    private static void padding(ByteReader r, String field) throws DecodingException {
        int at = r.position();
        if (r.u8(field + " padding") != 0) {
            throw new DecodingException(field + " padding", at, "must be 0x00");
        }
    }

    private static void entrypoint(ByteReader r, String field) throws DecodingException {
        int at = r.position();
        int tag = r.u8(field);
        if (tag == NAMED_ENTRYPOINT) {
            int lenAt = r.position();
            int len = r.u8(field + " name length");
            if (len == 0 || len > MAX_ENTRYPOINT_NAME) {
                throw new DecodingException(field + " name length", lenAt, "must be 1 to 31, got " + len);
            }
            r.skip(field + " name", len);
        } else if (tag > MAX_BUILTIN_ENTRYPOINT) {
            throw new DecodingException(field, at, "unknown entrypoint tag " + tag);
        }
    }
}
