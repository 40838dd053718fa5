package io.bakeguard.app.ops;

/**
 * A failure of an ops command, carrying the process exit code and a one-line message that says what
 * to do. {@link #FAILURE} for things that went wrong at run time, {@link #USAGE} for bad arguments.
 */
public class OpsException extends RuntimeException {
    public static final int FAILURE = 1;
    public static final int USAGE = 2;

    private final int exitCode;

    public OpsException(int exitCode, String message) {
        super(oneLine(message));
        this.exitCode = exitCode;
    }

    public static OpsException failure(String message) {
        return new OpsException(FAILURE, message);
    }

    public static OpsException usage(String message) {
        return new OpsException(USAGE, message);
    }

    public int exitCode() {
        return exitCode;
    }

    /** Operators grep and alert on stderr lines: a message never spans lines. */
    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
