package io.bakeguard.core.key;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.bakeguard.core.crypto.Base58Check;
import io.bakeguard.core.crypto.Base58Exception;
import io.bakeguard.core.signer.SignatureVersion;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Key parsers given arbitrary text: only the typed exceptions may escape. The Jazzer target runs its
 * seed corpus (src/test/resources/.../KeyParsingFuzzTestInputs) under plain {@code mvn test} and fuzzes
 * with {@code JAZZER_FUZZ=1}; the seeded test below mutates valid keys so every build also exercises
 * near-valid input.
 */
class KeyParsingFuzzTest {
    private static final String[] VALID = {
        "edsk3gUfUPyBSfrS9CCgmCiQsTCHGkviBDusMxDJstFtojtc1zcpsh",
        "edpkuBknW28nW72KG6RoHtYW7p12T6GKc7nAbwYX5m8Wd9sDVC9yav",
        "tz1KqTpEZ7Yob7QbPE4Hy4Wo8fHG8LhKxZSx",
        "BLpk1yUiLJ7RezbyViD5ZvWTfQndM3TRRYmvYWkUfH2EJqsLFnzzvpJss6pbuz3U1DDMpk8v16nV",
        "encrypted:p2esk2TFqgNcoT4u99ut5doGTUFNwo9x4nNvkpM6YMLqXrt4SbFdQnqLM3hoAXLMB2uZYazj6LZGvcoYzk16H6Et",
        "sppk7Zik17H7AxECMggqD1FyXUQdrGRFtz9X7aR8W2BhaJoWwSnPEGA",
        "edsigtczt8JkeSykqVfcARrq5XpnkZeaewVRE54A2LgLNCam4Hb1yRdwjc5gZLP7KNFUCTStPgt72SQ7K4D91Yt3nf1GCJv1zEJ",
    };

    @FuzzTest(maxDuration = "10s")
    void keyParsersThrowOnlyTypedExceptions(FuzzedDataProvider data) {
        exercise(data.consumeString(200), data.consumeRemainingAsString());
    }

    @Test
    void mutatedKeysThrowOnlyTypedExceptions() {
        Random rnd = new Random(0xF022L);
        String alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz:0OIl_ \u00e9";
        for (int i = 0; i < 1500; i++) {
            StringBuilder s = new StringBuilder(VALID[rnd.nextInt(VALID.length)]);
            int edits = 1 + rnd.nextInt(3);
            for (int e = 0; e < edits && s.length() > 0; e++) {
                int pos = rnd.nextInt(s.length());
                switch (rnd.nextInt(3)) {
                    case 0 -> s.setCharAt(pos, alphabet.charAt(rnd.nextInt(alphabet.length())));
                    case 1 -> s.deleteCharAt(pos);
                    default -> s.insert(pos, alphabet.charAt(rnd.nextInt(alphabet.length())));
                }
            }
            exercise(s.toString(), "pw");
        }
    }

    private static void exercise(String text, String password) {
        try {
            SecretKey.parse(text, Optional.of(password.toCharArray()));
        } catch (KeyFormatException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
        try {
            PublicKey pk = PublicKey.parse(text);
            assertThat(PublicKey.parse(pk.toBase58())).isEqualTo(pk);
            pk.verify(new byte[] {3}, text, SignatureVersion.V3);
        } catch (KeyFormatException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
        try {
            byte[] tagged = KeyHashes.toTagged21(text);
            assertThat(KeyHashes.fromTagged21(tagged)).isEqualTo(text);
            assertThat(KeyHashes.isValid(text)).isTrue();
            KeyHashes.curveOf(text);
        } catch (KeyFormatException expected) {
            assertThat(KeyHashes.isValid(text)).isFalse();
        }
        try {
            Base58Check.decodeAny(text);
        } catch (Base58Exception expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }
}
