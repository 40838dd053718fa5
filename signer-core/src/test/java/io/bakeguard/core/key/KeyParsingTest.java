package io.bakeguard.core.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bakeguard.core.crypto.Base58Check;
import io.bakeguard.core.crypto.Prefix;
import io.bakeguard.core.signer.SignatureVersion;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Bad input to the key types gets a clear typed error that never repeats secret material. */
class KeyParsingTest {
    private static final String ED_SK = "edsk3gUfUPyBSfrS9CCgmCiQsTCHGkviBDusMxDJstFtojtc1zcpsh";
    private static final String ED_PK = "edpkuBknW28nW72KG6RoHtYW7p12T6GKc7nAbwYX5m8Wd9sDVC9yav";
    private static final String ED_SIG =
            "edsigtczt8JkeSykqVfcARrq5XpnkZeaewVRE54A2LgLNCam4Hb1yRdwjc5gZLP7KNFUCTStPgt72SQ7K4D91Yt3nf1GCJv1zEJ";

    @Test
    void secretKeyWithBadChecksumIsRefusedWithoutQuotingIt() {
        String corrupted = ED_SK.substring(0, 20) + (ED_SK.charAt(20) == 'a' ? 'b' : 'a') + ED_SK.substring(21);
        assertThatThrownBy(() -> SecretKey.parse(corrupted, Optional.empty()))
                .isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("not valid base58check")
                .hasMessageNotContaining(corrupted.substring(4, 12));
    }

    @Test
    void unsupportedSecretKeySchemesAreNamedButNeverEchoedWhenTheyLookLikeKeys() {
        assertThatThrownBy(() -> SecretKey.parse("ledger://tz1abc/ed25519/0h/0h", Optional.empty()))
                .isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("'ledger'");
        assertThatThrownBy(() -> SecretKey.parse(ED_SK + ":x", Optional.empty()))
                .isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("unsupported secret key URI scheme")
                .hasMessageNotContaining(ED_SK.substring(4, 12));
    }

    @Test
    void uriSchemeMustMatchWhetherTheKeyIsEncrypted() {
        assertThatThrownBy(() -> SecretKey.parse("encrypted:" + ED_SK, Optional.of("pw".toCharArray())))
                .isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("holds an unencrypted key");
        String edesk = "edesk1oGXxunJ5FTGpQ6o1xdop8VGKdT36Fj7LwWF9HLjzEqaCC4V6tdRVN1jaeJTfCHS8bYf7U2YhMK2yW6jSUy";
        assertThatThrownBy(() -> SecretKey.parse("unencrypted:" + edesk, Optional.of("ahThie5H".toCharArray())))
                .isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("holds an encrypted key");
    }

    @Test
    void publicKeysAndHashesAreNotSecretKeys() {
        assertThatThrownBy(() -> SecretKey.parse(ED_PK, Optional.empty()))
                .isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("expected a secret key, got a edpk value");
        assertThatThrownBy(() -> PublicKey.parse(ED_SK))
                .isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("expected an edpk, sppk, p2pk or BLpk public key");
        assertThatThrownBy(() -> KeyHashes.toTagged21(ED_PK))
                .isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("expected a tz1, tz2, tz3 or tz4");
        assertThat(KeyHashes.isValid(ED_PK)).isFalse();
        assertThat(KeyHashes.isValid("")).isFalse();
        assertThat(KeyHashes.isValid(null)).isFalse();
    }

    @Test
    void outOfRangeScalarsAreRefused() {
        byte[] zero = new byte[32];
        byte[] ones = new byte[32];
        Arrays.fill(ones, (byte) 0xff);
        for (Prefix p :
                new Prefix[] {Prefix.SECP256K1_SECRET_KEY, Prefix.P256_SECRET_KEY, Prefix.BLS12_381_SECRET_KEY}) {
            assertThatThrownBy(() -> SecretKey.parse(Base58Check.encode(p, zero), Optional.empty()))
                    .isInstanceOf(KeyFormatException.class)
                    .hasMessageContaining("out of range");
            assertThatThrownBy(() -> SecretKey.parse(Base58Check.encode(p, ones), Optional.empty()))
                    .isInstanceOf(KeyFormatException.class)
                    .hasMessageContaining("out of range");
        }
    }

    @Test
    void legacyEd25519KeyWhosePublicHalfDoesNotMatchIsRefused() {
        byte[] payload = new byte[64];
        payload[0] = 1;
        assertThatThrownBy(() ->
                        SecretKey.parse(Base58Check.encode(Prefix.ED25519_SECRET_KEY_64, payload), Optional.empty()))
                .isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("does not match");
    }

    @Test
    void invalidCurvePointsAreRefused() {
        byte[] notOnCurve = new byte[33];
        Arrays.fill(notOnCurve, (byte) 0xff);
        notOnCurve[0] = 2;
        assertThatThrownBy(() -> PublicKey.parse(Base58Check.encode(Prefix.SECP256K1_PUBLIC_KEY, notOnCurve)))
                .isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("not a valid secp256k1 public key point");
        assertThatThrownBy(() -> PublicKey.parse(Base58Check.encode(Prefix.P256_PUBLIC_KEY, new byte[33])))
                .isInstanceOf(KeyFormatException.class);
        assertThatThrownBy(() -> PublicKey.parse(Base58Check.encode(Prefix.BLS12_381_PUBLIC_KEY, new byte[48])))
                .isInstanceOf(KeyFormatException.class);
        byte[] infinity = new byte[48];
        infinity[0] = (byte) 0xc0;
        assertThatThrownBy(() -> PublicKey.parse(Base58Check.encode(Prefix.BLS12_381_PUBLIC_KEY, infinity)))
                .isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("bls");
        assertThatThrownBy(() -> PublicKey.fromTagged(new byte[] {9, 1, 2}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown public key tag 9");
        assertThatThrownBy(() -> PublicKey.fromTagged(new byte[] {0, 1, 2}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 bytes");
    }

    @Test
    void tz5AndBadTaggedHashesAreRefused() {
        String tz5 = Base58Check.encode(Prefix.MLDSA44_PUBLIC_KEY_HASH, new byte[20]);
        assertThatThrownBy(() -> KeyHashes.curveOf(tz5))
                .isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("tz5");
        assertThatThrownBy(() -> KeyHashes.fromTagged21(new byte[20])).isInstanceOf(IllegalArgumentException.class);
        byte[] badTag = new byte[21];
        badTag[0] = 4;
        assertThatThrownBy(() -> KeyHashes.fromTagged21(badTag)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void verifyReturnsFalseForMalformedOrMismatchedSignatures() throws Exception {
        PublicKey pk = PublicKey.parse(ED_PK);
        byte[] data = {0x03, 0x12, 0x34};
        assertThat(pk.verify(data, "garbage", SignatureVersion.V3)).isFalse();
        assertThat(pk.verify(data, "", SignatureVersion.V3)).isFalse();
        assertThat(pk.verify(data, null, SignatureVersion.V3)).isFalse();
        assertThat(pk.verify(null, ED_SIG, SignatureVersion.V3)).isFalse();
        assertThat(pk.verify(data, ED_PK, SignatureVersion.V3)).isFalse();
        String p2sig = Base58Check.encode(
                Prefix.P256_SIGNATURE, Base58Check.decodeAny(ED_SIG).payload());
        assertThat(pk.verify(data, p2sig, SignatureVersion.V3)).isFalse();
        String blsig = Base58Check.encode(Prefix.BLS12_381_SIGNATURE, new byte[96]);
        assertThat(pk.verify(data, blsig, SignatureVersion.V3)).isFalse();
        assertThat(pk.verifyProofOfPossession(blsig)).isFalse();
    }

    @Test
    void secretKeyToStringShowsOnlyTheCurveAndHash() throws Exception {
        SecretKey sk = SecretKey.parse(ED_SK, Optional.empty());
        assertThat(sk.toString())
                .contains("tz1KqTpEZ7Yob7QbPE4Hy4Wo8fHG8LhKxZSx")
                .doesNotContain(ED_SK)
                .doesNotContain(KeyVectors.hex(sk.secretBytes()));
    }
}
