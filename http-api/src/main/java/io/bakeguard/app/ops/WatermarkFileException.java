package io.bakeguard.app.ops;

import java.nio.file.Path;

/** A watermark file of octez-signer or Signatory that cannot be read or is not in its format. */
public final class WatermarkFileException extends Exception {
    private final Path file;

    public WatermarkFileException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public WatermarkFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
