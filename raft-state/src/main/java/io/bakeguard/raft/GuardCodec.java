package io.bakeguard.raft;

import io.bakeguard.core.watermark.BucketKey;
import io.bakeguard.core.watermark.Decision;
import io.bakeguard.core.watermark.Floor;
import io.bakeguard.core.watermark.KeyChain;
import io.bakeguard.core.watermark.Reservation;
import io.bakeguard.core.watermark.Watermark;
import io.bakeguard.core.watermark.WatermarkKind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The compact binary encoding of entries, queries and replies. Every message starts with a format
 * version byte and a type byte; decoding is strict (fail closed): an unknown version or type, a
 * field out of its bounds, a truncated message or trailing bytes are a {@link MalformedException},
 * never a default value. The encoder runs the same checks, so it never produces what the decoder
 * would refuse.
 */
final class GuardCodec {
    static final int VERSION = 1;

    static final int ENTRY_RESERVE = 1;
    static final int ENTRY_SIGNATURE = 2;
    static final int ENTRY_DECISION = 3;
    static final int ENTRY_FLOOR = 4;
    static final int ENTRY_IMPORT = 5;

    static final int QUERY_MARKS = 1;
    static final int QUERY_FLOORS = 2;
    static final int QUERY_PING = 3;

    static final int REPLY_DECIDED = 1;
    static final int REPLY_INVALID = 2;
    static final int REPLY_MARKS = 3;
    static final int REPLY_FLOORS = 4;
    static final int REPLY_PONG = 5;

    private static final int DECISION_GRANTED = 0;
    private static final int DECISION_REPEAT = 1;
    private static final int DECISION_REFUSED = 2;

    static final int MAX_IMPORT_MARKS = 100_000;
    static final int MAX_REASON_CHARS = 2048;

    private GuardCodec() {}

    /** A message that does not decode. */
    static final class MalformedException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedException(String message) {
            super(message);
        }
    }

    // ---------------------------------------------------------------- entries

    static byte[] encodeEntry(GuardEntry e) {
        return write(out -> {
            if (e instanceof GuardEntry.Reserve r) {
                header(out, ENTRY_RESERVE, e);
                bucket(out, r.reservation().bucket());
                out.writeInt(r.reservation().level());
                out.writeInt(r.reservation().round());
                string(out, r.reservation().digestHex(), TextFormat.HEX_64, "digest");
                out.writeBoolean(r.firstUseAllowed());
            } else if (e instanceof GuardEntry.RecordSignature s) {
                header(out, ENTRY_SIGNATURE, e);
                bucket(out, s.bucket());
                out.writeInt(s.level());
                out.writeInt(s.round());
                string(out, s.digestHex(), TextFormat.HEX_64, "digest");
                string(out, s.signature(), TextFormat.BASE58, "signature");
            } else if (e instanceof GuardEntry.RecordDecision d) {
                header(out, ENTRY_DECISION, e);
                string(out, d.keyHash(), TextFormat.PRINTABLE, "key");
                string(out, d.kind(), TextFormat.LABEL, "kind");
                optionalDigest(out, d.digestHex());
                out.writeBoolean(d.granted());
                reason(out, d.reason());
            } else if (e instanceof GuardEntry.RaiseFloor f) {
                header(out, ENTRY_FLOOR, e);
                keyChain(out, f.keyChain());
                floor(out, f.floor());
            } else if (e instanceof GuardEntry.ImportMarks m) {
                header(out, ENTRY_IMPORT, e);
                if (m.marks().size() > MAX_IMPORT_MARKS) {
                    throw new IllegalArgumentException("an import holds at most " + MAX_IMPORT_MARKS + " marks, got "
                            + m.marks().size());
                }
                out.writeInt(m.marks().size());
                for (Map.Entry<BucketKey, Watermark> x : new TreeMap<>(m.marks()).entrySet()) {
                    bucket(out, x.getKey());
                    mark(out, x.getValue());
                }
            } else {
                throw new IllegalArgumentException("unknown entry " + e);
            }
        });
    }

    static GuardEntry decodeEntry(byte[] bytes) throws MalformedException {
        return read(bytes, in -> {
            int type = versionAndType(in);
            String proposer = string(in, TextFormat.PEER_ID, "proposer");
            long time = in.readLong();
            GuardEntry e = switch (type) {
                case ENTRY_RESERVE -> {
                    BucketKey b = bucket(in);
                    int level = in.readInt();
                    int round = in.readInt();
                    String digest = string(in, TextFormat.HEX_64, "digest");
                    boolean firstUse = in.readBoolean();
                    yield new GuardEntry.Reserve(proposer, time, new Reservation(b, level, round, digest), firstUse);
                }
                case ENTRY_SIGNATURE ->
                    new GuardEntry.RecordSignature(
                            proposer,
                            time,
                            bucket(in),
                            in.readInt(),
                            in.readInt(),
                            string(in, TextFormat.HEX_64, "digest"),
                            string(in, TextFormat.BASE58, "signature"));
                case ENTRY_DECISION ->
                    new GuardEntry.RecordDecision(
                            proposer,
                            time,
                            string(in, TextFormat.PRINTABLE, "key"),
                            string(in, TextFormat.LABEL, "kind"),
                            optionalDigest(in),
                            in.readBoolean(),
                            reason(in));
                case ENTRY_FLOOR -> new GuardEntry.RaiseFloor(proposer, time, keyChain(in), floor(in));
                case ENTRY_IMPORT -> {
                    int n = in.readInt();
                    if (n < 0 || n > MAX_IMPORT_MARKS) {
                        throw new MalformedException("import count out of range: " + n);
                    }
                    TreeMap<BucketKey, Watermark> marks = new TreeMap<>();
                    for (int i = 0; i < n; i++) {
                        BucketKey b = bucket(in);
                        if (marks.put(b, mark(in)) != null) {
                            throw new MalformedException("import holds bucket " + b + " twice");
                        }
                    }
                    yield new GuardEntry.ImportMarks(proposer, time, marks);
                }
                default -> throw new MalformedException("unknown entry type " + type);
            };
            return e;
        });
    }

    private static void header(DataOutputStream out, int type, GuardEntry e) throws IOException {
        out.writeByte(VERSION);
        out.writeByte(type);
        string(out, e.proposer(), TextFormat.PEER_ID, "proposer");
        out.writeLong(e.timeMillis());
    }

    // ---------------------------------------------------------------- queries

    static byte[] encodeQuery(int type) {
        if (type != QUERY_MARKS && type != QUERY_FLOORS && type != QUERY_PING) {
            throw new IllegalArgumentException("unknown query " + type);
        }
        return new byte[] {VERSION, (byte) type};
    }

    static int decodeQuery(byte[] bytes) throws MalformedException {
        return read(bytes, in -> {
            int type = versionAndType(in);
            if (type != QUERY_MARKS && type != QUERY_FLOORS && type != QUERY_PING) {
                throw new MalformedException("unknown query type " + type);
            }
            return type;
        });
    }

    // ---------------------------------------------------------------- replies

    static byte[] encodeReply(GuardReply reply) {
        return write(out -> {
            out.writeByte(VERSION);
            if (reply instanceof GuardReply.Decided d) {
                out.writeByte(REPLY_DECIDED);
                decision(out, d.decision());
                out.writeLong(d.logIndex());
            } else if (reply instanceof GuardReply.Invalid i) {
                out.writeByte(REPLY_INVALID);
                reason(out, truncate(i.message()));
            } else if (reply instanceof GuardReply.Marks m) {
                out.writeByte(REPLY_MARKS);
                out.writeInt(m.marks().size());
                for (Map.Entry<BucketKey, Watermark> x : m.marks().entrySet()) {
                    bucket(out, x.getKey());
                    mark(out, x.getValue());
                }
            } else if (reply instanceof GuardReply.Floors f) {
                out.writeByte(REPLY_FLOORS);
                out.writeInt(f.floors().size());
                for (Map.Entry<KeyChain, Floor> x : f.floors().entrySet()) {
                    keyChain(out, x.getKey());
                    floor(out, x.getValue());
                }
            } else if (reply instanceof GuardReply.Pong p) {
                out.writeByte(REPLY_PONG);
                out.writeLong(p.appliedIndex());
            } else {
                throw new IllegalArgumentException("unknown reply " + reply);
            }
        });
    }

    static GuardReply decodeReply(byte[] bytes) throws MalformedException {
        return read(bytes, in -> {
            int type = versionAndType(in);
            return switch (type) {
                case REPLY_DECIDED -> new GuardReply.Decided(decision(in), in.readLong());
                case REPLY_INVALID -> new GuardReply.Invalid(reason(in));
                case REPLY_MARKS -> {
                    int n = count(in);
                    SortedMap<BucketKey, Watermark> marks = new TreeMap<>();
                    for (int i = 0; i < n; i++) {
                        marks.put(bucket(in), mark(in));
                    }
                    yield new GuardReply.Marks(marks);
                }
                case REPLY_FLOORS -> {
                    int n = count(in);
                    SortedMap<KeyChain, Floor> floors = new TreeMap<>();
                    for (int i = 0; i < n; i++) {
                        floors.put(keyChain(in), floor(in));
                    }
                    yield new GuardReply.Floors(floors);
                }
                case REPLY_PONG -> new GuardReply.Pong(in.readLong());
                default -> throw new MalformedException("unknown reply type " + type);
            };
        });
    }

    private static void decision(DataOutputStream out, Decision d) throws IOException {
        if (d instanceof Decision.Granted g) {
            out.writeByte(DECISION_GRANTED);
            mark(out, g.mark());
        } else if (d instanceof Decision.Repeat r) {
            out.writeByte(DECISION_REPEAT);
            mark(out, r.mark());
        } else if (d instanceof Decision.Refused r) {
            out.writeByte(DECISION_REFUSED);
            out.writeUTF(r.reason().name());
            reason(out, truncate(r.message()));
        } else {
            throw new IllegalArgumentException("unknown decision " + d);
        }
    }

    private static Decision decision(DataInputStream in) throws IOException, MalformedException {
        int tag = in.readUnsignedByte();
        return switch (tag) {
            case DECISION_GRANTED -> new Decision.Granted(mark(in));
            case DECISION_REPEAT -> new Decision.Repeat(mark(in));
            case DECISION_REFUSED -> {
                String name = in.readUTF();
                Decision.Reason reason;
                try {
                    reason = Decision.Reason.valueOf(name);
                } catch (IllegalArgumentException e) {
                    throw new MalformedException("unknown refusal reason " + name);
                }
                yield new Decision.Refused(reason, reason(in));
            }
            default -> throw new MalformedException("unknown decision tag " + tag);
        };
    }

    // ---------------------------------------------------------------- fields

    private static void bucket(DataOutputStream out, BucketKey b) throws IOException {
        string(out, b.keyHash(), TextFormat.BASE58, "key");
        string(out, b.chainId(), TextFormat.BASE58, "chain");
        out.writeUTF(b.kind().octezName());
    }

    private static BucketKey bucket(DataInputStream in) throws IOException, MalformedException {
        String key = string(in, TextFormat.BASE58, "key");
        String chain = string(in, TextFormat.BASE58, "chain");
        String kind = in.readUTF();
        WatermarkKind k =
                WatermarkKind.ofOctezName(kind).orElseThrow(() -> new MalformedException("unknown kind " + kind));
        return new BucketKey(key, chain, k);
    }

    private static void keyChain(DataOutputStream out, KeyChain kc) throws IOException {
        string(out, kc.keyHash(), TextFormat.BASE58, "key");
        string(out, kc.chainId(), TextFormat.BASE58, "chain");
    }

    private static KeyChain keyChain(DataInputStream in) throws IOException, MalformedException {
        return new KeyChain(string(in, TextFormat.BASE58, "key"), string(in, TextFormat.BASE58, "chain"));
    }

    private static void mark(DataOutputStream out, Watermark m) throws IOException {
        out.writeInt(m.level());
        out.writeInt(m.round());
        string(out, m.digestHex(), TextFormat.HEX_64, "digest");
        out.writeBoolean(m.signature().isPresent());
        if (m.signature().isPresent()) {
            string(out, m.signature().get(), TextFormat.BASE58, "signature");
        }
    }

    private static Watermark mark(DataInputStream in) throws IOException, MalformedException {
        int level = in.readInt();
        int round = in.readInt();
        String digest = string(in, TextFormat.HEX_64, "digest");
        Optional<String> sig =
                in.readBoolean() ? Optional.of(string(in, TextFormat.BASE58, "signature")) : Optional.empty();
        return new Watermark(level, round, digest, sig);
    }

    private static void floor(DataOutputStream out, Floor f) throws IOException {
        out.writeInt(f.level());
        out.writeBoolean(f.round().isPresent());
        out.writeInt(f.round().orElse(0));
    }

    private static Floor floor(DataInputStream in) throws IOException, MalformedException {
        int level = in.readInt();
        boolean hasRound = in.readBoolean();
        int round = in.readInt();
        if (!hasRound && round != 0) {
            throw new MalformedException("floor without round carries round " + round);
        }
        return new Floor(level, hasRound ? Optional.of(round) : Optional.empty());
    }

    private static void optionalDigest(DataOutputStream out, String digestHex) throws IOException {
        if (digestHex.isEmpty()) {
            out.writeUTF("");
        } else {
            string(out, digestHex, TextFormat.HEX_64, "digest");
        }
    }

    private static String optionalDigest(DataInputStream in) throws IOException, MalformedException {
        String s = in.readUTF();
        if (!s.isEmpty() && !TextFormat.HEX_64.matches(s)) {
            throw new MalformedException("digest is not 64 lowercase hex characters");
        }
        return s;
    }

    private static void reason(DataOutputStream out, String reason) throws IOException {
        if (reason.length() > MAX_REASON_CHARS) {
            throw new IllegalArgumentException("reason longer than " + MAX_REASON_CHARS + " characters");
        }
        out.writeUTF(reason);
    }

    private static String reason(DataInputStream in) throws IOException, MalformedException {
        String s = in.readUTF();
        if (s.length() > MAX_REASON_CHARS) {
            throw new MalformedException("reason longer than " + MAX_REASON_CHARS + " characters");
        }
        return s;
    }

    private static String truncate(String s) {
        return s.length() <= MAX_REASON_CHARS ? s : s.substring(0, MAX_REASON_CHARS);
    }

    private static void string(DataOutputStream out, String s, TextFormat allowed, String what) throws IOException {
        if (!allowed.matches(s)) {
            throw new IllegalArgumentException(what + " has an invalid format: '" + clip(s) + "'");
        }
        out.writeUTF(s);
    }

    private static String string(DataInputStream in, TextFormat allowed, String what)
            throws IOException, MalformedException {
        String s = in.readUTF();
        if (!allowed.matches(s)) {
            throw new MalformedException(what + " has an invalid format: '" + clip(s) + "'");
        }
        return s;
    }

    private static String clip(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }

    private static int count(DataInputStream in) throws IOException, MalformedException {
        int n = in.readInt();
        if (n < 0 || n > 10_000_000) {
            throw new MalformedException("count out of range: " + n);
        }
        return n;
    }

    private static int versionAndType(DataInputStream in) throws IOException, MalformedException {
        int version = in.readUnsignedByte();
        if (version != VERSION) {
            throw new MalformedException(
                    "unsupported format version " + version + " (this replica reads " + VERSION + ")");
        }
        return in.readUnsignedByte();
    }

    // ---------------------------------------------------------------- plumbing

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private interface Reader<T> {
        T read(DataInputStream in) throws IOException, MalformedException;
    }

    private static byte[] write(Writer w) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            w.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory encoding failed", e);
        }
        return bytes.toByteArray();
    }

    private static <T> T read(byte[] bytes, Reader<T> r) throws MalformedException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            T value = r.read(in);
            if (in.available() != 0) {
                throw new MalformedException(in.available() + " trailing bytes");
            }
            return value;
        } catch (EOFException e) {
            throw new MalformedException("truncated message");
        } catch (IOException e) {
            // readUTF reports malformed modified UTF-8 as UTFDataFormatException.
            throw new MalformedException("undecodable message: " + e.getMessage());
        } catch (IllegalArgumentException | NullPointerException e) {
            // A record constructor refused a decoded value (e.g. a reservation's digest).
            throw new MalformedException("invalid field: " + e.getMessage());
        }
    }
}
