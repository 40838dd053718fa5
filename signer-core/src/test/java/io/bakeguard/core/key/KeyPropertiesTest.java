package io.bakeguard.core.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bakeguard.core.crypto.Base58Check;
import io.bakeguard.core.crypto.Ecdsa;
import io.bakeguard.core.signer.SignatureVersion;
import io.bakeguard.core.signer.SoftwareSigner;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Seeded randomized properties: encode/decode, encryption and sign/verify round trips per curve. */
class KeyPropertiesTest {

    /** Deterministic for a fixed seed: SHA1PRNG seeded before first use does not mix in system entropy. */
    static SecureRandom seeded(long seed) throws Exception {
        SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
        r.setSeed(seed);
        return r;
    }

    @ParameterizedTest
    @EnumSource(Curve.class)
    void generatedKeysRoundTripThroughTheirBase58Forms(Curve curve) throws Exception {
        SecureRandom rnd = seeded(1000 + curve.ordinal());
        for (int i = 0; i < 40; i++) {
            SecretKey sk = SecretKey.generate(curve, rnd);
            assertThat(sk.curve()).isEqualTo(curve);
            SecretKey again = SecretKey.parse(sk.toBase58(), Optional.empty());
            assertThat(again.toBase58()).isEqualTo(sk.toBase58());
            assertThat(again.publicKey()).isEqualTo(sk.publicKey());
            assertThat(SecretKey.parse("unencrypted:" + sk.toBase58(), Optional.empty())
                            .publicKey())
                    .isEqualTo(sk.publicKey());
            PublicKey pk = PublicKey.parse(sk.publicKey().toBase58());
            assertThat(pk).isEqualTo(sk.publicKey());
            assertThat(PublicKey.fromTagged(pk.tagged())).isEqualTo(pk);
            String pkh = pk.hash();
            assertThat(pkh).startsWith(curve.hashPrefix());
            assertThat(KeyHashes.curveOf(pkh)).isEqualTo(curve);
            assertThat(KeyHashes.fromTagged21(KeyHashes.toTagged21(pkh))).isEqualTo(pkh);
        }
    }

    @ParameterizedTest
    @EnumSource(Curve.class)
    void encryptedKeysRoundTripAndRefuseOtherPasswords(Curve curve) throws Exception {
        SecureRandom rnd = seeded(2000 + curve.ordinal());
        for (int i = 0; i < 2; i++) {
            SecretKey sk = SecretKey.generate(curve, rnd);
            char[] pw = ("pässwörd-" + i).toCharArray();
            String enc = sk.toEncrypted(pw, rnd);
            assertThat(enc).startsWith("encrypted:").doesNotContain(sk.toBase58());
            assertThat(SecretKey.parse(enc, Optional.of(pw)).toBase58()).isEqualTo(sk.toBase58());
            assertThatThrownBy(() -> SecretKey.parse(enc, Optional.of("pässwörd-x".toCharArray())))
                    .isInstanceOf(KeyFormatException.class)
                    .hasMessage("wrong password or corrupted encrypted key");
        }
    }

    @ParameterizedTest
    @EnumSource(Curve.class)
    void signaturesVerifyAndAnyChangeToDataOrSignatureIsRejected(Curve curve) throws Exception {
        SecureRandom keys = seeded(3000 + curve.ordinal());
        Random rnd = new Random(4000 + curve.ordinal());
        for (int i = 0; i < 15; i++) {
            SecretKey sk = SecretKey.generate(curve, keys);
            SoftwareSigner signer = new SoftwareSigner(sk);
            byte[] data = new byte[1 + rnd.nextInt(300)];
            rnd.nextBytes(data);
            SignatureVersion v = curve == Curve.BLS12_381
                    ? SignatureVersion.values()[1 + rnd.nextInt(3)]
                    : SignatureVersion.values()[rnd.nextInt(4)];
            String sig = signer.sign(data, v);
            assertThat(sig).isEqualTo(signer.sign(data, v));
            PublicKey pk = sk.publicKey();
            assertThat(pk.verify(data, sig, v)).isTrue();

            byte[] otherData = data.clone();
            otherData[rnd.nextInt(otherData.length)] ^= (byte) (1 << rnd.nextInt(8));
            assertThat(pk.verify(otherData, sig, v)).isFalse();

            byte[] raw = Base58Check.decodeAny(sig).payload();
            raw[rnd.nextInt(raw.length)] ^= (byte) (1 << rnd.nextInt(8));
            String otherSig = Base58Check.encode(Base58Check.decodeAny(sig).prefix(), raw);
            assertThat(pk.verify(data, otherSig, v)).isFalse();

            PublicKey otherKey = SecretKey.generate(curve, keys).publicKey();
            assertThat(otherKey.verify(data, sig, v)).isFalse();

            if (curve == Curve.SECP256K1 || curve == Curve.P256) {
                Ecdsa e = curve == Curve.SECP256K1 ? Ecdsa.SECP256K1 : Ecdsa.P256;
                assertThat(e.isLowS(Base58Check.decodeAny(sig).payload())).isTrue();
            }
        }
    }
}
