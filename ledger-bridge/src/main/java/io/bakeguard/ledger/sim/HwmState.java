package io.bakeguard.ledger.sim;

/**
 * One of the app's two high watermarks (spec/ledger-baking-apdu.md s.4.2): level, round and the two
 * per-(level, round) flags. Mutable: it lives inside the simulated app only.
 */
final class HwmState {
    int level;
    int round;
    boolean hadAttestation;
    boolean hadPreattestation;

    HwmState copy() {
        HwmState h = new HwmState();
        h.level = level;
        h.round = round;
        h.hadAttestation = hadAttestation;
        h.hadPreattestation = hadPreattestation;
        return h;
    }

    /** {@code is_level_authorized}, s.4.2, for a Tenderbake message with no bit 31/30 set. */
    boolean authorizes(int kind, int lvl, int rnd) {
        if (lvl > level) {
            return true;
        }
        if (lvl == level && rnd > round) {
            return true;
        }
        if (lvl == level && rnd == round) {
            if (kind == SimulatedBakingApp.MAGIC_ATTESTATION) {
                return !hadAttestation;
            }
            if (kind == SimulatedBakingApp.MAGIC_PREATTESTATION) {
                return !hadAttestation && !hadPreattestation;
            }
        }
        return false;
    }

    /** {@code write_high_water_mark}, s.4.2. */
    void update(int kind, int lvl, int rnd) {
        if (lvl > level || rnd > round) {
            hadAttestation = false;
            hadPreattestation = false;
        }
        level = Math.max(lvl, level);
        round = rnd;
        if (kind == SimulatedBakingApp.MAGIC_ATTESTATION) {
            hadAttestation = true;
        } else if (kind == SimulatedBakingApp.MAGIC_PREATTESTATION) {
            hadPreattestation = true;
        }
    }

    void set(int lvl, int rnd) {
        level = lvl;
        round = rnd;
    }
}
