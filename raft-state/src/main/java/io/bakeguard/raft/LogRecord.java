package io.bakeguard.raft;

import java.util.Optional;

/**
 * One record of the watermark log (design.md s.4): one per applied entry, identical on every replica
 * at the same index, hash-chained through {@code previousHash}.
 *
 * @param index Raft log index of the entry
 * @param term Raft term of the entry
 * @param timeMillis wall-clock time taken by the proposing replica, carried in the entry
 * @param proposer id of the proposing replica
 * @param entry entry type: {@code reserve}, {@code signature}, {@code decision}, {@code floor}, {@code import}
 * @param keyHash base58 key, empty for entries without one
 * @param chainId base58 chain id, empty when the request carries none
 * @param kind bucket kind ({@code block}, {@code attestation}, ...) or request kind for non-consensus
 *     decisions ({@code generic}, {@code micheline}, ...)
 * @param level level, 0 when none
 * @param round round, 0 when none
 * @param digestHex blake2b-256 of the request, empty when none
 * @param decision {@code granted}, {@code repeat}, {@code refused}, {@code recorded}, {@code ignored}, {@code raised}, ...
 * @param reason the refusal message or a short explanation, empty when none
 * @param previousHash hex hash of the previous record (64 zeros at the start of history)
 * @param hash hex SHA-256 over this record's canonical encoding and {@code previousHash}
 */
public record LogRecord(
        long index,
        long term,
        long timeMillis,
        String proposer,
        String entry,
        Optional<String> keyHash,
        Optional<String> chainId,
        String kind,
        int level,
        int round,
        Optional<String> digestHex,
        String decision,
        Optional<String> reason,
        String previousHash,
        String hash) {}
