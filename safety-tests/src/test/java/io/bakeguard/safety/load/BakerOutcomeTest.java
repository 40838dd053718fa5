package io.bakeguard.safety.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.bakeguard.safety.history.Outcome;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class BakerOutcomeTest {
    private static final String ERR = "[{\"kind\":\"temporary\",\"id\":\"failure\",\"msg\":\"%s\"}]";

    @Test
    void okWithASignatureIsSigned() {
        assertThat(Baker.outcome(200, "{\"signature\":\"edsigabc\"}")).isEqualTo(new Outcome.Signed("edsigabc"));
    }

    @Test
    void okWithoutASignatureIsAnError() {
        assertThat(Baker.outcome(200, "{}")).isInstanceOf(Outcome.Failed.class);
        assertThat(Baker.outcome(200, "not json")).isInstanceOf(Outcome.Failed.class);
    }

    @Test
    void watermarkAndPolicyRefusalsCarryOctezMessage() {
        String msg = "attestation level 99 below high watermark 100";
        assertThat(Baker.outcome(409, ERR.formatted(msg))).isEqualTo(new Outcome.Refused(409, msg));
        assertThat(Baker.outcome(403, ERR.formatted("refused by policy"))).isInstanceOf(Outcome.Refused.class);
    }

    @Test
    void unavailableIsNoQuorumAndOtherStatusesAreErrors() {
        assertThat(Baker.outcome(503, ERR.formatted("no quorum"))).isEqualTo(new Outcome.NoQuorum("no quorum"));
        assertThat(Baker.outcome(500, "boom")).isEqualTo(new Outcome.Failed(500, "boom"));
    }

    @Test
    void transportFailuresAreTimeoutsOrErrors() {
        assertThat(Baker.failure(new CompletionException(new HttpTimeoutException("t"))))
                .isInstanceOf(Outcome.TimedOut.class);
        assertThat(Baker.failure(new CompletionException(new ConnectException("refused"))))
                .isInstanceOf(Outcome.Failed.class);
    }
}
