package io.bakeguard.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** spec/ratis.md s.1.6: the retry cache must outlive a client's whole retry budget, or a retry applies twice. */
class RetryBudgetTest {

    @Test
    void theRetryCacheOutlivesTheClientsRetries() {
        // request timeout, then the pause before the next attempt
        long attemptMillis = RaftWatermarkGuard.CLIENT_REQUEST_TIMEOUT.toLong(TimeUnit.MILLISECONDS)
                + RaftWatermarkGuard.CLIENT_RETRY_PAUSE.toLong(TimeUnit.MILLISECONDS);
        long budgetMillis = RaftWatermarkGuard.CLIENT_ATTEMPTS * attemptMillis;
        assertThat(RaftWatermarkGuard.RETRY_CACHE_EXPIRY.toLong(TimeUnit.MILLISECONDS))
                .isGreaterThanOrEqualTo(budgetMillis * 3 / 2);
    }
}
