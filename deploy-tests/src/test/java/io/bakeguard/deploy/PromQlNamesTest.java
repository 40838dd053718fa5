package io.bakeguard.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlNamesTest {
    @Test
    void metricNamesAreFoundAndFunctionsLabelsKeywordsAndDurationsAreNot() {
        assertThat(PromQlNames.of("histogram_quantile(0.99, sum by (le, kind) "
                        + "(rate(bakeguard_sign_duration_seconds_bucket{phase=\"total\",kind=~\"$kind\"}[$__rate_interval])))"
                        + " > 1"))
                .containsExactly("bakeguard_sign_duration_seconds_bucket");
    }

    @Test
    void bothSidesOfABinaryOperationAndVectorMatchingAreRead() {
        assertThat(PromQlNames.of("scalar(max(bakeguard_raft_commit_index)) - on(instance) group_left(pod)"
                        + " bakeguard_raft_applied_index > 100 or vector(0) unless up"))
                .containsExactly("bakeguard_raft_applied_index", "bakeguard_raft_commit_index", "up");
    }

    @Test
    void labelValuesInStringsAndMatchersAreNotMetricNames() {
        assertThat(PromQlNames.of("node_filesystem_avail_bytes{fstype!~\"tmpfs|overlay\",mountpoint=~\"/var/lib\"}"
                        + " / node_filesystem_size_bytes{mountpoint=\"x\"} < 0.10"))
                .containsExactly("node_filesystem_avail_bytes", "node_filesystem_size_bytes");
    }
}
