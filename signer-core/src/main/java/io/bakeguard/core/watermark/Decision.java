package io.bakeguard.core.watermark;

import java.util.Optional;

/** The outcome of applying the watermark rule to one reservation. */
public sealed interface Decision permits Decision.Granted, Decision.Repeat, Decision.Refused {

    /** True when the key may sign (a fresh grant or a repeat without a stored signature). */
    boolean allowsSigning();

    /** The request is strictly above the bucket: the bucket now holds it. */
    record Granted(Watermark mark) implements Decision {
        @Override
        public boolean allowsSigning() {
            return true;
        }
    }

    /**
     * The same bytes at the same (level, round) as the bucket holds. When the stored signature is
     * known it must be returned as is and no key touched.
     */
    record Repeat(Watermark mark) implements Decision {
        public Optional<String> storedSignature() {
            return mark.signature();
        }

        @Override
        public boolean allowsSigning() {
            return mark.signature().isEmpty();
        }
    }

    /** Refused, with octez's message. */
    record Refused(Reason reason, String message) implements Decision {
        @Override
        public boolean allowsSigning() {
            return false;
        }
    }

    /** Why a request was refused. */
    enum Reason {
        /** level below the bucket's level. */
        LEVEL_BELOW,
        /** same level, round not above (or the mark holds no digest to compare). */
        NOT_ABOVE,
        /** same level and round, other bytes. */
        DIFFERENT_DATA,
        /** at or below the operator-set floor for this key and chain. */
        BELOW_FLOOR,
        /** no bucket and no floor, and the key's policy does not allow first use. */
        FIRST_USE_NOT_ALLOWED,
        /** refused by the key's policy (kind, chain or operation not allowed). */
        POLICY
    }
}
