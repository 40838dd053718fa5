package io.bakeguard.core.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OctezWalletTest {
    private static final String SK = "edsk3gUfUPyBSfrS9CCgmCiQsTCHGkviBDusMxDJstFtojtc1zcpsh";
    private static final String PK = "edpkuBknW28nW72KG6RoHtYW7p12T6GKc7nAbwYX5m8Wd9sDVC9yav";
    private static final String BLPK = "BLpk1yUiLJ7RezbyViD5ZvWTfQndM3TRRYmvYWkUfH2EJqsLFnzzvpJss6pbuz3U1DDMpk8v16nV";

    @TempDir
    Path dir;

    @Test
    void readsSecretAndPublicKeysInBothOctezValueShapes() throws Exception {
        Files.writeString(dir.resolve("secret_keys"), """
                [ { "name": "baker", "value": "unencrypted:%s" },
                  { "name": "ledger_key", "value": "ledger://lazy-cat/bip25519/0h/0h" } ]
                """.formatted(SK));
        Files.writeString(dir.resolve("public_keys"), """
                [ { "name": "baker", "value": { "locator": "unencrypted:%s", "key": "%s" } },
                  { "name": "old_style", "value": "unencrypted:%s" },
                  { "name": "ledger_key", "value": { "locator": "ledger://lazy-cat/bip25519/0h/0h", "key": "%s" } },
                  { "name": "remote_only", "value": "remote:tz1KqTpEZ7Yob7QbPE4Hy4Wo8fHG8LhKxZSx" } ]
                """.formatted(PK, PK, PK, BLPK));
        OctezWallet w = OctezWallet.load(dir);

        assertThat(w.secretKeys()).hasSize(2);
        OctezWallet.SecretKeyEntry baker = w.secretKey("baker").orElseThrow();
        assertThat(baker.isSoftwareKey()).isTrue();
        assertThat(baker.toSecretKey(Optional.empty()).publicKey().toBase58()).isEqualTo(PK);
        assertThat(baker.toString()).doesNotContain(SK);
        OctezWallet.SecretKeyEntry ledger = w.secretKey("ledger_key").orElseThrow();
        assertThat(ledger.scheme()).isEqualTo("ledger");
        assertThatThrownBy(() -> ledger.toSecretKey(Optional.empty()))
                .isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("is a ledger key");

        assertThat(w.publicKeys()).hasSize(4);
        assertThat(w.publicKey("baker").orElseThrow().key().orElseThrow().toBase58())
                .isEqualTo(PK);
        assertThat(w.publicKey("old_style").orElseThrow().key().orElseThrow().toBase58())
                .isEqualTo(PK);
        assertThat(w.publicKey("ledger_key").orElseThrow().key().orElseThrow().curve())
                .isEqualTo(Curve.BLS12_381);
        assertThat(w.publicKey("remote_only").orElseThrow().key()).isEmpty();
        assertThat(w.publicKey("remote_only").orElseThrow().locator()).startsWith("remote:");
    }

    @Test
    void missingFilesReadAsAnEmptyWallet() throws Exception {
        OctezWallet w = OctezWallet.load(dir);
        assertThat(w.secretKeys()).isEmpty();
        assertThat(w.publicKeys()).isEmpty();
    }

    @Test
    void malformedJsonIsRefusedWithoutQuotingTheFile() throws Exception {
        Files.writeString(dir.resolve("secret_keys"), "[ { \"name\": \"a\", \"value\": \"unencrypted:" + SK + "\" ");
        assertThatThrownBy(() -> OctezWallet.load(dir))
                .isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("is not valid JSON")
                .hasMessageNotContaining(SK);
    }

    @Test
    void wrongShapesAreRefusedWithTheEntryNamed() throws Exception {
        Path f = dir.resolve("public_keys");
        Files.writeString(f, "{\"name\": \"a\"}");
        assertThatThrownBy(() -> OctezWallet.readPublicKeys(f)).hasMessageContaining("JSON array");
        Files.writeString(f, "[ 42 ]");
        assertThatThrownBy(() -> OctezWallet.readPublicKeys(f)).hasMessageContaining("entry 0");
        Files.writeString(f, "[ { \"value\": \"unencrypted:" + PK + "\" } ]");
        assertThatThrownBy(() -> OctezWallet.readPublicKeys(f)).hasMessageContaining("'name'");
        Files.writeString(f, "[ { \"name\": \"a\", \"value\": 7 } ]");
        assertThatThrownBy(() -> OctezWallet.readPublicKeys(f)).hasMessageContaining("locator string");
        Files.writeString(f, "[ { \"name\": \"a\", \"value\": { \"locator\": \"x\", \"key\": \"edpkNOPE\" } } ]");
        assertThatThrownBy(() -> OctezWallet.readPublicKeys(f))
                .isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("public key of 'a'");
        Files.writeString(
                f,
                "[ { \"name\": \"a\", \"value\": \"unencrypted:" + PK
                        + "\" }, { \"name\": \"a\", \"value\": \"x:y\" } ]");
        assertThatThrownBy(() -> OctezWallet.readPublicKeys(f)).hasMessageContaining("appears twice");
        Path s = dir.resolve("secret_keys");
        Files.writeString(s, "[ { \"name\": \"a\", \"value\": { \"locator\": \"x\" } } ]");
        assertThatThrownBy(() -> OctezWallet.readSecretKeys(s)).hasMessageContaining("secret key URI");
    }
}
