package io.bakeguard.app;

import io.bakeguard.app.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/** Reading and writing files that hold secrets: refused when group or others can read them (like ssh). */
public final class SecretFiles {
    private static final Set<PosixFilePermission> OPEN = EnumSet.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE);

    private SecretFiles() {}

    /**
     * Reads a secret file after checking its permissions.
     *
     * @param what what the file is, for messages ("secret key file", "password file")
     */
    public static String read(Path file, String what) throws ConfigException {
        checkPermissions(file, what);
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + what + " " + file + ": " + e.getMessage());
        }
    }

    public static void checkPermissions(Path file, String what) throws ConfigException {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(what + " " + file + " does not exist or is not a file");
        }
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            Set<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
            open.addAll(perms);
            open.retainAll(OPEN);
            if (!open.isEmpty()) {
                throw new ConfigException(what + " " + file + " is accessible by group or others ("
                        + PosixFilePermissions.toString(perms) + "); run: chmod 600 " + file);
            }
        } catch (IOException e) {
            throw new ConfigException("cannot check permissions of " + what + " " + file + ": " + e.getMessage());
        }
    }

    /** Writes {@code text} to a new file readable by its owner only; refuses to overwrite. */
    public static void writeNew(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /** A password file's content without its trailing line break. */
    public static char[] password(String content) {
        String p = content;
        while (p.endsWith("\n") || p.endsWith("\r")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.toCharArray();
    }
}
