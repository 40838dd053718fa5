package io.bakeguard.ledger.testing;

import io.bakeguard.core.crypto.Base58Check;
import io.bakeguard.core.crypto.Base58Exception;
import io.bakeguard.core.crypto.Blake2b;
import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.asn1.sec.SECNamedCurves;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Independent verification of Tezos signatures with Bouncy Castle, for tests: blake2b-256 of the
 * message, then Ed25519 or ECDSA (r||s). Used until signer-core's PublicKey lands in this branch.
 */
public final class TezosSignatures {
    private TezosSignatures() {}

    /** True when {@code signature} (base58) over {@code message} verifies with {@code publicKey} (base58). */
    public static boolean verify(String publicKey, byte[] message, String signature) throws Base58Exception {
        Base58Check.Decoded pk = Base58Check.decodeAny(publicKey);
        Base58Check.Decoded sig = Base58Check.decodeAny(signature);
        byte[] hash = Blake2b.hash256(message);
        byte[] s = sig.payload();
        switch (pk.prefix()) {
            case ED25519_PUBLIC_KEY -> {
                Ed25519Signer v = new Ed25519Signer();
                v.init(false, new Ed25519PublicKeyParameters(pk.payload(), 0));
                v.update(hash, 0, hash.length);
                return v.verifySignature(s);
            }
            case SECP256K1_PUBLIC_KEY, P256_PUBLIC_KEY -> {
                X9ECParameters p = SECNamedCurves.getByName(
                        pk.prefix() == io.bakeguard.core.crypto.Prefix.SECP256K1_PUBLIC_KEY
                                ? "secp256k1"
                                : "secp256r1");
                ECDomainParameters dom = new ECDomainParameters(p.getCurve(), p.getG(), p.getN(), p.getH());
                ECDSASigner v = new ECDSASigner();
                v.init(false, new ECPublicKeyParameters(p.getCurve().decodePoint(pk.payload()), dom));
                BigInteger r = new BigInteger(1, Arrays.copyOf(s, 32));
                BigInteger ss = new BigInteger(1, Arrays.copyOfRange(s, 32, 64));
                return v.verifySignature(hash, r, ss);
            }
            default -> throw new IllegalArgumentException("unsupported key " + publicKey);
        }
    }

    /** True when the S half of a 64-byte ECDSA signature is at most n/2 for the key's curve. */
    public static boolean lowS(String publicKey, String signature) throws Base58Exception {
        Base58Check.Decoded pk = Base58Check.decodeAny(publicKey);
        byte[] s = Base58Check.decodeAny(signature).payload();
        String name = pk.prefix() == io.bakeguard.core.crypto.Prefix.SECP256K1_PUBLIC_KEY ? "secp256k1" : "secp256r1";
        BigInteger n = SECNamedCurves.getByName(name).getN();
        return new BigInteger(1, Arrays.copyOfRange(s, 32, 64)).compareTo(n.shiftRight(1)) <= 0;
    }
}
