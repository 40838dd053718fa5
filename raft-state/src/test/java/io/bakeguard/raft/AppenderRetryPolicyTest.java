package io.bakeguard.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leader's pause between attempts to reach a follower after consecutive failures: Ratis' default grows
 * to 5 s after 30 failures, so a replica restarted after some ten seconds down waited seconds for the leader
 * (docs/performance.md, seventh session). Bakeguard's servers keep it near a tenth of a second however long
 * the failures last.
 */
class AppenderRetryPolicyTest {
    @TempDir
    Path dir;

    @Test
    void theServersUseTheShortAppenderPolicy() {
        RaftProperties p = RaftWatermarkGuard.serverProperties(
                ReplicaSettings.of("n1", dir, List.of(new PeerAddress("n1", "127.0.0.1:9870"))),
                dir.resolve("ratis"),
                RaftWatermarkGuard.Tuning.DEFAULTS);
        assertThat(RaftServerConfigKeys.Log.Appender.retryPolicy(p))
                .isEqualTo(RaftWatermarkGuard.APPENDER_RETRY_POLICY);
    }

    @Test
    void afterManyFailuresTheLeaderStillTriesAgainWithinATenthOfASecondOrSo() {
        RetryPolicy policy = RetryPolicy.parse(RaftWatermarkGuard.APPENDER_RETRY_POLICY, "appender");
        for (int failures : new int[] {1, 10, 11, 30, 40, 1_000, 100_000, 100_000_000}) {
            RetryPolicy.Action a = policy.handleAttemptFailure(() -> failures);
            assertThat(a.shouldRetry()).as("retry after %d failures", failures).isTrue();
            // Ratis randomizes each pause between half and one and a half times the configured one.
            assertThat(a.getSleepTime().toLong(TimeUnit.MILLISECONDS))
                    .as("pause after %d failures", failures)
                    .isLessThanOrEqualTo(150);
        }
        // Ratis' default, for contrast: 5 s after 30 failures.
        RetryPolicy ratisDefault = RetryPolicy.parse(RaftServerConfigKeys.Log.Appender.RETRY_POLICY_DEFAULT, "d");
        assertThat(ratisDefault.handleAttemptFailure(() -> 40).getSleepTime().toLong(TimeUnit.MILLISECONDS))
                .isGreaterThanOrEqualTo(2_500);
    }
}
