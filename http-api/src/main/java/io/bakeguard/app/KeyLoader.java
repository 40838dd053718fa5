package io.bakeguard.app;

import io.bakeguard.app.config.BakeguardConfig;
import io.bakeguard.app.config.BakeguardConfig.KeyEntry;
import io.bakeguard.app.config.BakeguardConfig.PolicyConfig;
import io.bakeguard.app.config.ConfigException;
import io.bakeguard.core.key.KeyFormatException;
import io.bakeguard.core.key.OctezWallet;
import io.bakeguard.core.key.SecretKey;
import io.bakeguard.core.policy.KeyPolicy;
import io.bakeguard.core.policy.PolicyException;
import io.bakeguard.core.signer.SoftwareSigner;
import io.bakeguard.http.KeyRing;
import io.bakeguard.http.KeyRing.ManagedKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the keys of {@code keys:} (design.md s.3). Secret key and password files readable by group
 * or others are refused. Encrypted keys take their password from {@code password-file}, else from
 * the environment variable {@value #PASSWORD_ENV}.
 */
public final class KeyLoader {
    /** The environment variable holding the password of encrypted keys without a password-file. */
    public static final String PASSWORD_ENV = "BAKEGUARD_KEY_PASSWORD";

    private static final Logger LOG = LoggerFactory.getLogger(KeyLoader.class);

    private KeyLoader() {}

    public static KeyRing load(BakeguardConfig config, String file, Map<String, String> env) throws ConfigException {
        List<ManagedKey> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < config.keys().size(); i++) {
            String at = "keys[" + i + "]";
            KeyEntry e = config.keys().get(i);
            KeyPolicy policy = policy(e.policy().orElse(PolicyConfig.defaults()), at, file);
            List<ManagedKey> opened;
            if (e.secretKeyFile().isPresent()) {
                opened = List.of(secretKeyFile(e, at, file, env, policy));
            } else if (e.octezSecretKeys().isPresent()) {
                opened = octezWallet(e, at, file, env, policy);
            } else {
                opened = LedgerKeys.open(e.ledger().orElseThrow(), e.transport(), e.tls(), policy, at, file);
            }
            for (ManagedKey k : opened) {
                if (!seen.add(k.signer().publicKeyHash())) {
                    throw new ConfigException(at + " in " + file + ": key "
                            + k.signer().publicKeyHash() + " is configured twice; keep one entry");
                }
                LOG.info(
                        "key={} curve={} source={} policy={}",
                        k.signer().publicKeyHash(),
                        k.signer().curve().cliName(),
                        at,
                        policy);
                out.add(k);
            }
        }
        return new KeyRing(out);
    }

    static KeyPolicy policy(PolicyConfig p, String at, String file) throws ConfigException {
        try {
            return KeyPolicy.parse(p.kinds(), p.operations(), p.chains(), p.firstUse());
        } catch (PolicyException e) {
            throw new ConfigException("bad value for '" + at + ".policy' in " + file + ": " + e.getMessage());
        }
    }

    private static ManagedKey secretKeyFile(
            KeyEntry e, String at, String file, Map<String, String> env, KeyPolicy policy) throws ConfigException {
        Path keyFile = e.secretKeyFile().orElseThrow();
        String text = SecretFiles.read(keyFile, "secret key file").strip();
        Optional<char[]> password = password(e, text, at, file, env);
        try {
            return new ManagedKey(new SoftwareSigner(SecretKey.parse(text, password)), policy);
        } catch (KeyFormatException ex) {
            throw new ConfigException(
                    "cannot read the secret key in " + keyFile + " (" + at + " in " + file + "): " + ex.getMessage());
        }
    }

    private static List<ManagedKey> octezWallet(
            KeyEntry e, String at, String file, Map<String, String> env, KeyPolicy policy) throws ConfigException {
        Path p = e.octezSecretKeys().orElseThrow();
        Path secretKeys = Files.isDirectory(p) ? p.resolve(OctezWallet.SECRET_KEYS_FILE) : p;
        SecretFiles.checkPermissions(secretKeys, "octez secret_keys file");
        List<OctezWallet.SecretKeyEntry> entries;
        try {
            entries = OctezWallet.readSecretKeys(secretKeys);
        } catch (KeyFormatException | IOException ex) {
            throw new ConfigException(
                    "cannot read octez wallet " + secretKeys + " (" + at + " in " + file + "): " + ex.getMessage());
        }
        List<ManagedKey> out = new ArrayList<>();
        for (OctezWallet.SecretKeyEntry entry : entries) {
            if (entry.scheme().equals("ledger")) {
                out.addAll(LedgerKeys.open(
                        entry.uri(), e.transport(), e.tls(), policy, at + " (alias " + entry.alias() + ")", file));
                continue;
            }
            if (!entry.isSoftwareKey()) {
                LOG.warn(
                        "{}: skipping octez wallet entry '{}' ({}: not a key this process can hold)",
                        at,
                        entry.alias(),
                        entry.scheme());
                continue;
            }
            Optional<char[]> password = password(e, entry.uri(), at, file, env);
            try {
                out.add(new ManagedKey(new SoftwareSigner(entry.toSecretKey(password)), policy));
            } catch (KeyFormatException ex) {
                throw new ConfigException("cannot read key '" + entry.alias() + "' of " + secretKeys + " (" + at
                        + " in " + file + "): " + ex.getMessage());
            }
        }
        if (out.isEmpty()) {
            throw new ConfigException(at + " in " + file + ": octez wallet " + secretKeys + " holds no usable key");
        }
        return out;
    }

    private static Optional<char[]> password(
            KeyEntry e, String keyText, String at, String file, Map<String, String> env) throws ConfigException {
        boolean encrypted = keyText.startsWith("encrypted:") || keyText.matches("^(edesk|spesk|p2esk|BLesk).*");
        if (e.passwordFile().isPresent()) {
            return Optional.of(
                    SecretFiles.password(SecretFiles.read(e.passwordFile().get(), "password file")));
        }
        if (!encrypted) {
            return Optional.empty();
        }
        String fromEnv = env.get(PASSWORD_ENV);
        if (fromEnv == null) {
            throw new ConfigException(at + " in " + file + " is an encrypted key: set " + at
                    + ".password-file or the environment variable " + PASSWORD_ENV);
        }
        return Optional.of(fromEnv.toCharArray());
    }
}
