package io.bakeguard.core.request;

import java.util.Optional;

/**
 * Content kinds of 0x03 generic operations, by tag (spec/tezos-remote-signer.md s.3.4). Names are
 * the ones used in key policies ({@code operations: [reveal, delegation]}).
 */
public enum OperationKind {
    SEED_NONCE_REVELATION(1, "seed_nonce_revelation"),
    DOUBLE_CONSENSUS_OPERATION_EVIDENCE(2, "double_consensus_operation_evidence"),
    DOUBLE_BAKING_EVIDENCE(3, "double_baking_evidence"),
    ACTIVATE_ACCOUNT(4, "activate_account"),
    PROPOSALS(5, "proposals"),
    BALLOT(6, "ballot"),
    DOUBLE_PREATTESTATION_EVIDENCE(7, "double_preattestation_evidence"),
    VDF_REVELATION(8, "vdf_revelation"),
    DRAIN_DELEGATE(9, "drain_delegate"),
    FAILING_NOOP(17, "failing_noop"),
    DAL_ENTRAPMENT_EVIDENCE(24, "dal_entrapment_evidence"),
    REVEAL(107, "reveal"),
    TRANSACTION(108, "transaction"),
    ORIGINATION(109, "origination"),
    DELEGATION(110, "delegation"),
    REGISTER_GLOBAL_CONSTANT(111, "register_global_constant"),
    SET_DEPOSITS_LIMIT(112, "set_deposits_limit"),
    INCREASE_PAID_STORAGE(113, "increase_paid_storage"),
    UPDATE_CONSENSUS_KEY(114, "update_consensus_key"),
    UPDATE_COMPANION_KEY(115, "update_companion_key"),
    TRANSFER_TICKET(158, "transfer_ticket"),
    SMART_ROLLUP_ORIGINATE(200, "smart_rollup_originate"),
    SMART_ROLLUP_ADD_MESSAGES(201, "smart_rollup_add_messages"),
    SMART_ROLLUP_CEMENT(202, "smart_rollup_cement"),
    SMART_ROLLUP_PUBLISH(203, "smart_rollup_publish"),
    SMART_ROLLUP_REFUTE(204, "smart_rollup_refute"),
    SMART_ROLLUP_TIMEOUT(205, "smart_rollup_timeout"),
    SMART_ROLLUP_EXECUTE_OUTBOX_MESSAGE(206, "smart_rollup_execute_outbox_message"),
    SMART_ROLLUP_RECOVER_BOND(207, "smart_rollup_recover_bond"),
    DAL_PUBLISH_COMMITMENT(230, "dal_publish_commitment"),
    ZK_ROLLUP_ORIGINATION(250, "zk_rollup_origination"),
    ZK_ROLLUP_PUBLISH(251, "zk_rollup_publish"),
    ZK_ROLLUP_UPDATE(252, "zk_rollup_update");

    private final int tag;
    private final String policyName;

    OperationKind(int tag, String policyName) {
        this.tag = tag;
        this.policyName = policyName;
    }

    public int tag() {
        return tag;
    }

    public String policyName() {
        return policyName;
    }

    /** Manager operations carry source, fee, counter, gas and storage limits (tags 107 and above). */
    public boolean isManager() {
        return tag >= 107;
    }

    public static Optional<OperationKind> ofTag(int tag) {
        for (OperationKind k : values()) {
            if (k.tag == tag) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    public static Optional<OperationKind> ofPolicyName(String name) {
        for (OperationKind k : values()) {
            if (k.policyName.equals(name)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
