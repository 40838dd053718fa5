package io.bakeguard.ledger.sim;

/**
 * What the simulated operator does with a prompt (spec/ledger-baking-apdu.md s.8.3 item 3).
 *
 * @param approve approve ({@code 9000}) or reject ({@code 6985})
 * @param never never answer: the device sends no reply at all
 * @param delayMillis answer only after this delay
 */
public record PromptAnswer(boolean approve, boolean never, long delayMillis) {
    public static final PromptAnswer APPROVE = new PromptAnswer(true, false, 0);
    public static final PromptAnswer REJECT = new PromptAnswer(false, false, 0);
    public static final PromptAnswer NEVER = new PromptAnswer(false, true, 0);

    public static PromptAnswer approveAfter(long millis) {
        return new PromptAnswer(true, false, millis);
    }
}
