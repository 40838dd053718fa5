package io.bakeguard.core.signer;

import io.bakeguard.core.crypto.Base58Check;
import io.bakeguard.core.crypto.Blake2b;
import io.bakeguard.core.crypto.Bls;
import io.bakeguard.core.crypto.Ecdsa;
import io.bakeguard.core.crypto.Prefix;
import io.bakeguard.core.key.Curve;
import io.bakeguard.core.key.KeyFormatException;
import io.bakeguard.core.key.PublicKey;
import io.bakeguard.core.key.SecretKey;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Signs with a key held in memory, byte for byte as octez does (spec/tezos-remote-signer.md s.5):
 * Ed25519 and ECDSA over blake2b-256(data) (ECDSA with RFC 6979 nonces and low S), BLS over the raw
 * data with the scheme the signature version selects. Thread-safe: the key material is immutable and
 * every call builds its own signing engine.
 */
public final class SoftwareSigner implements Signer {
    private final Curve curve;
    private final String publicKeyHash;
    private final String publicKey;
    private final byte[] secret;
    private final Ed25519PrivateKeyParameters ed25519;
    private final Bls.PrivateKey bls;

    public SoftwareSigner(SecretKey key) {
        Objects.requireNonNull(key, "key");
        this.curve = key.curve();
        this.publicKeyHash = key.publicKey().hash();
        this.publicKey = key.publicKey().toBase58();
        this.secret = key.secretBytes();
        this.ed25519 = curve == Curve.ED25519 ? new Ed25519PrivateKeyParameters(secret, 0) : null;
        this.bls = curve == Curve.BLS12_381 ? new Bls.PrivateKey(secret) : null;
    }

    @Override
    public String publicKeyHash() {
        return publicKeyHash;
    }

    @Override
    public String publicKey() {
        return publicKey;
    }

    @Override
    public Curve curve() {
        return curve;
    }

    @Override
    public String sign(byte[] data, SignatureVersion version) throws SigningException {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(version, "version");
        return switch (curve) {
            case ED25519 -> Base58Check.encode(Prefix.ED25519_SIGNATURE, signEd25519(Blake2b.hash256(data)));
            case SECP256K1 ->
                Base58Check.encode(Prefix.SECP256K1_SIGNATURE, Ecdsa.SECP256K1.sign(secret, Blake2b.hash256(data)));
            case P256 -> Base58Check.encode(Prefix.P256_SIGNATURE, Ecdsa.P256.sign(secret, Blake2b.hash256(data)));
            case BLS12_381 -> Base58Check.encode(Prefix.BLS12_381_SIGNATURE, signBls(data, version));
        };
    }

    private byte[] signEd25519(byte[] digest) {
        Ed25519Signer s = new Ed25519Signer();
        s.init(true, ed25519);
        s.update(digest, 0, digest.length);
        return s.generateSignature();
    }

    private byte[] signBls(byte[] data, SignatureVersion version) throws SigningException {
        return switch (version) {
            case V0 -> throw new SigningException("signature version 0 cannot sign with a BLS (tz4) key");
            case V1 -> bls.signAug(data);
            case V2, V3 -> bls.signPop(data);
        };
    }

    @Override
    public Optional<String> provePossession(Optional<String> overridePublicKey) throws SigningException {
        Objects.requireNonNull(overridePublicKey, "overridePublicKey");
        if (curve != Curve.BLS12_381) {
            return Optional.empty();
        }
        byte[] proven;
        if (overridePublicKey.isPresent()) {
            try {
                PublicKey pk = PublicKey.parse(overridePublicKey.get());
                if (pk.curve() != Curve.BLS12_381) {
                    throw new SigningException("the proof-of-possession key must be a BLpk BLS public key");
                }
                proven = pk.raw();
            } catch (KeyFormatException e) {
                throw new SigningException("invalid proof-of-possession public key: " + e.getMessage(), e);
            }
        } else {
            proven = bls.publicKey();
        }
        return Optional.of(Base58Check.encode(Prefix.BLS12_381_SIGNATURE, bls.provePossession(proven)));
    }

    @Override
    public String toString() {
        return "SoftwareSigner[" + curve.cliName() + ", " + publicKeyHash + "]";
    }
}
