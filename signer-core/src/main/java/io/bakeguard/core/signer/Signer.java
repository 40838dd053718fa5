package io.bakeguard.core.signer;

import io.bakeguard.core.key.Curve;
import java.util.Optional;

/**
 * Signs Tezos request bytes with one key. Implementations: the software signer in this module, the
 * Ledger signer in ledger-bridge. A signer never checks watermarks: only a request the cluster granted
 * reaches it. Implementations must be safe to call from several threads.
 */
public interface Signer extends AutoCloseable {

    /** Base58 public key hash ({@code tz1...}); also the key's name in URLs. */
    String publicKeyHash();

    /** Base58 public key ({@code edpk...}, {@code sppk...}, {@code p2pk...}, {@code BLpk...}). */
    String publicKey();

    Curve curve();

    /**
     * Signs {@code data} (magic byte included) exactly as octez does for this curve (spec s.5) and
     * returns the base58 signature with the curve-specific prefix ({@code edsig}, {@code spsig1},
     * {@code p2sig}, {@code BLsig}). ECDSA signatures are low-S.
     */
    String sign(byte[] data, SignatureVersion version) throws SigningException;

    /**
     * A BLS proof of possession over this key's public key, or over {@code overridePublicKey} when
     * given (base58 {@code BLpk}); empty for non-BLS keys.
     */
    default Optional<String> provePossession(Optional<String> overridePublicKey) throws SigningException {
        return Optional.empty();
    }

    @Override
    default void close() {}
}
