package io.bakeguard.safety.check;

import io.bakeguard.core.crypto.Blake2b;
import io.bakeguard.core.key.Curve;
import io.bakeguard.core.key.PublicKey;
import io.bakeguard.core.key.SecretKey;
import io.bakeguard.core.signer.SignatureVersion;
import io.bakeguard.core.signer.SigningException;
import io.bakeguard.core.signer.SoftwareSigner;
import io.bakeguard.safety.history.FaultEvent;
import io.bakeguard.safety.history.Op;
import io.bakeguard.safety.history.Outcome;
import io.bakeguard.safety.load.Baker;
import io.bakeguard.safety.load.RequestForge;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds histories by hand for the checker's tests: real keys and real signatures, and a watermark log that
 * the test writes record by record, as a correct (or a deliberately broken) cluster would.
 */
final class HistoryFixture {
    static final String CHAIN = "NetXdQprcVkpaWU";

    final SecretKey key = SecretKey.generate(Curve.ED25519, new SecureRandom(new byte[] {1}));
    final SecretKey otherKey = SecretKey.generate(Curve.ED25519, new SecureRandom(new byte[] {2}));
    final SoftwareSigner signer = new SoftwareSigner(key);
    final SoftwareSigner otherSigner = new SoftwareSigner(otherKey);
    final List<Op> ops = new ArrayList<>();
    final List<FaultEvent> faults = new ArrayList<>();
    final Map<String, List<CommittedRecord>> logs = new LinkedHashMap<>();
    final List<WatermarkCheckpoint> checkpoints = new ArrayList<>();
    private long nextId;
    private long nextIndex = 1;
    private String lastHash = "0".repeat(64);

    String pkh() {
        return key.publicKey().hash();
    }

    SignatureVerifier verifier() {
        PublicKey pk = key.publicKey();
        return new PublicKeyVerifier(Map.of(pk.hash(), pk));
    }

    static byte[] attestation(int level, int round, int payload) {
        byte[] hash = Blake2b.hash256(ByteBuffer.allocate(4).putInt(payload).array());
        return RequestForge.attestation(Baker.CHAIN, new byte[32], 0, level, round, hash);
    }

    /** A request to {@code replica} during [start, end] seconds that came back signed by the real key. */
    Op signed(String replica, int level, int round, int payload, double start, double end) {
        byte[] req = attestation(level, round, payload);
        return add(replica, level, round, req, start, end, new Outcome.Signed(sign(signer, req)));
    }

    Op refused(String replica, int level, int round, int payload, double start, double end) {
        byte[] req = attestation(level, round, payload);
        return add(replica, level, round, req, start, end, new Outcome.Refused(409, "attestation level below"));
    }

    Op add(String replica, int level, int round, byte[] req, double start, double end, Outcome outcome) {
        long s = (long) (start * 1_000_000);
        long e = (long) (end * 1_000_000);
        Op op = new Op(
                nextId++,
                0,
                replica,
                pkh(),
                CHAIN,
                "attestation",
                level,
                round,
                Blake2b.hash256Hex(req),
                HexFormat.of().formatHex(req),
                s,
                e,
                1_000_000 + s / 1_000,
                1_000_000 + e / 1_000,
                outcome);
        ops.add(op);
        return op;
    }

    static String sign(SoftwareSigner signer, byte[] data) {
        try {
            return signer.sign(data, SignatureVersion.LATEST);
        } catch (SigningException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A committed reserve record for {@code op}'s request, proposed by {@code op}'s replica during the request. */
    CommittedRecord commit(Op op, String decision) {
        return commit(
                op.replica(),
                op.level(),
                op.round(),
                op.digestHex(),
                decision,
                (op.startWallMillis() + op.endWallMillis()) / 2);
    }

    CommittedRecord commit(String proposer, int level, int round, String digest, String decision, long time) {
        long index = nextIndex++;
        String hash = Blake2b.hash256Hex(
                (lastHash + index + digest + decision).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        CommittedRecord r = new CommittedRecord(
                index,
                1,
                time,
                proposer,
                "reserve",
                pkh(),
                CHAIN,
                "attestation",
                level,
                round,
                digest,
                decision,
                "",
                lastHash,
                hash);
        lastHash = hash;
        return r;
    }

    /** Gives every replica the same log. */
    void replicate(List<CommittedRecord> records, String... replicas) {
        for (String r : replicas) {
            logs.put(r, new ArrayList<>(records));
        }
    }

    CheckInput input() {
        return new CheckInput(ops, faults, logs, checkpoints);
    }

    Verdict check() {
        return new SafetyChecker(verifier()).check(input());
    }
}
