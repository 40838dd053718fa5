package io.bakeguard.core.policy;

import io.bakeguard.core.crypto.Base58Check;
import io.bakeguard.core.crypto.Base58Exception;
import io.bakeguard.core.crypto.Prefix;
import io.bakeguard.core.request.OperationKind;
import io.bakeguard.core.request.SigningRequest;
import io.bakeguard.core.watermark.WatermarkKind;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What one key may sign (design.md s.1, s.3: {@code policy: {kinds, operations, chains,
 * first-use}}). The policy is checked before the watermark rule; it never replaces it.
 *
 * <ul>
 *   <li>Consensus requests (0x11, 0x12, 0x13, legacy 0x01, 0x02) are allowed when their watermark
 *       kind is in {@code kinds} (0x01 counts as {@code block}, 0x02 as {@code endorsement}) and
 *       their chain is in {@code chains} (an empty set allows every chain).
 *   <li>0x03 generic operations are allowed only when the kind of <em>every</em> content is in
 *       {@code operations} (by {@link OperationKind#policyName()}). They carry no chain id, so
 *       {@code chains} does not apply to them.
 *   <li>0x04 (remote-signer authentication bytes) is never allowed: signing it would let a caller
 *       forge authentication for another request (spec/tezos-remote-signer.md s.1.5).
 *   <li>0x05 Micheline expressions and any other magic byte are always refused: bakers never send
 *       them, and there is no policy name to allow them.
 * </ul>
 *
 * @param kinds the consensus kinds the key may sign (default block, preattestation, attestation)
 * @param operations the 0x03 content kinds the key may sign (default none)
 * @param chains base58 chain ids the key may sign consensus requests on; empty means any chain
 * @param firstUse whether the key may sign in a watermark bucket that has neither a mark nor a floor
 */
public record KeyPolicy(Set<WatermarkKind> kinds, Set<OperationKind> operations, Set<String> chains, boolean firstUse) {
    /** Mainnet's chain id; {@code mainnet} is accepted as a name for it in {@code chains}. */
    public static final String MAINNET_CHAIN_ID = "NetXdQprcVkpaWU";

    private static final Set<WatermarkKind> DEFAULT_KINDS = Collections.unmodifiableSet(
            EnumSet.of(WatermarkKind.BLOCK, WatermarkKind.PREATTESTATION, WatermarkKind.ATTESTATION));

    public KeyPolicy {
        Objects.requireNonNull(kinds, "kinds");
        Objects.requireNonNull(operations, "operations");
        Objects.requireNonNull(chains, "chains");
        kinds = kinds.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(kinds));
        operations = operations.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(operations));
        chains = Collections.unmodifiableSet(new LinkedHashSet<>(chains));
    }

    /** Consensus kinds only (block, preattestation, attestation), any chain, no first use. */
    public static KeyPolicy defaults() {
        return new KeyPolicy(DEFAULT_KINDS, Set.of(), Set.of(), false);
    }

    /**
     * Builds a policy from configuration values. A {@code null} argument takes the default.
     *
     * @param kinds octez kind names: {@code block}, {@code preattestation}, {@code attestation},
     *     {@code endorsement} (legacy 0x02)
     * @param operations {@link OperationKind#policyName()} names, e.g. {@code reveal}, {@code
     *     delegation}
     * @param chains base58 chain ids ({@code Net...}) or {@code mainnet}
     * @param firstUse {@code allow} or {@code deny} (also {@code true} / {@code false})
     * @throws PolicyException naming the first value that is not known
     */
    public static KeyPolicy parse(List<String> kinds, List<String> operations, List<String> chains, String firstUse)
            throws PolicyException {
        Set<WatermarkKind> k = EnumSet.noneOf(WatermarkKind.class);
        if (kinds == null) {
            k.addAll(DEFAULT_KINDS);
        } else {
            for (String name : kinds) {
                k.add(WatermarkKind.ofOctezName(trim(name))
                        .orElseThrow(() -> new PolicyException("unknown request kind '" + name + "' in policy kinds;"
                                + " expected one of " + names(WatermarkKind.values()))));
            }
        }
        Set<OperationKind> ops = EnumSet.noneOf(OperationKind.class);
        if (operations != null) {
            for (String name : operations) {
                ops.add(OperationKind.ofPolicyName(trim(name))
                        .orElseThrow(() -> new PolicyException("unknown operation kind '" + name
                                + "' in policy operations; expected one of "
                                + Arrays.stream(OperationKind.values())
                                        .map(OperationKind::policyName)
                                        .collect(Collectors.joining(", ")))));
            }
        }
        Set<String> c = new LinkedHashSet<>();
        if (chains != null) {
            for (String name : chains) {
                c.add(chainId(name));
            }
        }
        return new KeyPolicy(k, ops, c, parseFirstUse(firstUse));
    }

    /** Checks a decoded request; the refusal reason does not name the key. */
    public PolicyDecision check(SigningRequest request) {
        return check(request, "this key");
    }

    /**
     * Checks a decoded request.
     *
     * @param keyHash the key's public key hash, used in the refusal reason
     */
    public PolicyDecision check(SigningRequest request, String keyHash) {
        String whose = "not allowed by the policy of " + keyHash;
        if (request instanceof SigningRequest.Consensus c) {
            WatermarkKind kind = c.kind();
            if (!kinds.contains(kind)) {
                return new PolicyDecision.Refused(String.format(
                        "request kind %s (magic 0x%02x) %s (kinds: %s)",
                        kind.octezName(), c.magic().value(), whose, names(kinds.toArray(WatermarkKind[]::new))));
            }
            if (!chains.isEmpty() && !chains.contains(c.chainId())) {
                return new PolicyDecision.Refused(String.format(
                        "request kind %s on chain %s %s (chains: %s)",
                        kind.octezName(), c.chainId(), whose, String.join(", ", chains)));
            }
            return new PolicyDecision.Allowed();
        }
        if (request instanceof SigningRequest.GenericOperation g) {
            List<String> refused = g.operations().stream()
                    .filter(op -> !operations.contains(op))
                    .map(OperationKind::policyName)
                    .distinct()
                    .toList();
            if (!refused.isEmpty()) {
                return new PolicyDecision.Refused(String.format(
                        "request kind generic operation with contents [%s] %s (operation kinds not allowed: %s)",
                        g.operations().stream().map(OperationKind::policyName).collect(Collectors.joining(", ")),
                        whose,
                        String.join(", ", refused)));
            }
            return new PolicyDecision.Allowed();
        }
        SigningRequest.Other o = (SigningRequest.Other) request;
        return switch (o.magic()) {
            case AUTHENTICATED_REQUEST ->
                new PolicyDecision.Refused(
                        "request kind authentication bytes (magic 0x04) is never signed: signing it would forge"
                                + " remote-signer authentication");
            case MICHELINE ->
                new PolicyDecision.Refused("request kind Micheline expression (magic 0x05) " + whose
                        + " (Micheline signing is not supported)");
            default ->
                new PolicyDecision.Refused(String.format(
                        "request kind with magic 0x%02x %s", o.magic().value(), whose));
        };
    }

    private static String chainId(String name) throws PolicyException {
        String t = trim(name);
        if ("mainnet".equals(t)) {
            return MAINNET_CHAIN_ID;
        }
        try {
            Base58Check.decode(t, Prefix.CHAIN_ID);
            return t;
        } catch (Base58Exception e) {
            throw new PolicyException("invalid chain id '" + name + "' in policy chains: expected a base58 chain id"
                    + " (Net...) or mainnet (" + e.getMessage() + ")");
        }
    }

    private static boolean parseFirstUse(String value) throws PolicyException {
        if (value == null) {
            return false;
        }
        return switch (value.trim()) {
            case "allow", "true" -> true;
            case "deny", "false" -> false;
            default ->
                throw new PolicyException("invalid first-use value '" + value + "' in policy: expected allow or deny");
        };
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }

    private static String names(WatermarkKind[] kinds) {
        return Arrays.stream(kinds).map(WatermarkKind::octezName).collect(Collectors.joining(", "));
    }
}
