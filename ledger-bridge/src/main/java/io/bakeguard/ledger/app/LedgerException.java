package io.bakeguard.ledger.app;

import io.bakeguard.core.signer.SigningException;
import java.util.OptionalInt;

/**
 * The closed set of ways a Ledger request fails (spec/ledger-baking-apdu.md s.3.8, s.8.1 layer 4).
 * Each subtype says what an operator must do; {@link #statusWord()} is the device's status word when
 * there was one.
 */
public abstract sealed class LedgerException extends SigningException {
    private static final long serialVersionUID = 1L;

    private final int sw;

    LedgerException(String message, int sw) {
        super(message);
        this.sw = sw;
    }

    LedgerException(String message, int sw, Throwable cause) {
        super(message, cause);
        this.sw = sw;
    }

    /** The device's status word, empty when the failure happened before or outside the device. */
    public OptionalInt statusWord() {
        return sw < 0 ? OptionalInt.empty() : OptionalInt.of(sw);
    }

    static String hex(int sw) {
        return String.format("0x%04X", sw);
    }

    /** {@code 6A80} on a signature: the device's own high watermark refused the message (s.4.2). */
    public static final class HwmRefused extends LedgerException {
        private static final long serialVersionUID = 1L;

        public HwmRefused(String message) {
            super(message, 0x6A80);
        }
    }

    /** {@code 6982} on a signature: the key is not the device's authorized baking key (s.4.2). */
    public static final class KeyNotAuthorized extends LedgerException {
        private static final long serialVersionUID = 1L;

        public KeyNotAuthorized(String message) {
            super(message, 0x6982);
        }
    }

    /** {@code 9405}: the app would not parse the message (legacy kind, malformed, split message, s.3.8). */
    public static final class MessageRejected extends LedgerException {
        private static final long serialVersionUID = 1L;

        public MessageRejected(String message) {
            super(message, 0x9405);
        }
    }

    /** {@code 6985}: a human (or the firmware's own timeout) rejected a prompt. */
    public static final class UserRejected extends LedgerException {
        private static final long serialVersionUID = 1L;

        public UserRejected(String message) {
            super(message, 0x6985);
        }
    }

    /** {@code 5515} (or {@code 6982} on a public key request): the PIN must be entered on the device. */
    public static final class DeviceLocked extends LedgerException {
        private static final long serialVersionUID = 1L;

        public DeviceLocked(String message, int sw) {
            super(message, sw);
        }
    }

    /** {@code 6E00}, {@code 6E01}, {@code 6D00}, {@code 6901}: the dashboard or another app is in front. */
    public static final class AppNotOpen extends LedgerException {
        private static final long serialVersionUID = 1L;

        public AppNotOpen(String message, int sw) {
            super(message, sw);
        }
    }

    /** The Tezos Wallet app (VERSION class {@code 00}) or another app answered instead of Baking. */
    public static final class WrongApp extends LedgerException {
        private static final long serialVersionUID = 1L;

        public WrongApp(String message) {
            super(message, -1);
        }
    }

    /**
     * The request was refused as malformed ({@code 6B00}, {@code 6C00}, {@code 917E}, {@code 6A80} or
     * {@code 6A88} outside signing), or refused before any I/O (no status word): e.g. a message over
     * the app's 235-byte limit.
     */
    public static final class BadRequest extends LedgerException {
        private static final long serialVersionUID = 1L;

        public BadRequest(String message, int sw) {
            super(message, sw);
        }
    }

    /** Any other status word ({@code 9200}, {@code 9001}, {@code 6601}, ...) or an inconsistent reply. */
    public static final class DeviceFailure extends LedgerException {
        private static final long serialVersionUID = 1L;

        public DeviceFailure(String message, int sw) {
            super(message, sw);
        }
    }

    /**
     * No usable device: not found, gone, not answering in time, or not the device the URI names. The
     * signer reconnects with backoff.
     */
    public static final class DeviceUnavailable extends LedgerException {
        private static final long serialVersionUID = 1L;

        public DeviceUnavailable(String message) {
            super(message, -1);
        }

        public DeviceUnavailable(String message, Throwable cause) {
            super(message, -1, cause);
        }
    }
}
