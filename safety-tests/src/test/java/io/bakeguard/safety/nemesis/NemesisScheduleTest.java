package io.bakeguard.safety.nemesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bakeguard.safety.history.FaultType;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NemesisScheduleTest {

    @Test
    void sameSeedGivesTheSameSchedule() {
        assertThat(NemesisSchedule.plan(7, 40, 60_000)).isEqualTo(NemesisSchedule.plan(7, 40, 60_000));
        assertThat(NemesisSchedule.plan(7, 40, 60_000)).isNotEqualTo(NemesisSchedule.plan(8, 40, 60_000));
    }

    @Test
    void aScheduleAsLongAsTheTypeListCoversEveryType() {
        List<PlannedFault> plan = NemesisSchedule.plan(123, FaultType.values().length, 60_000);

        assertThat(plan).extracting(PlannedFault::type).containsExactlyInAnyOrder(FaultType.values());
    }

    @Test
    void faultsAreSpreadOverTheDurationInOrder() {
        List<PlannedFault> plan = NemesisSchedule.plan(99, 500, 1_800_000);

        assertThat(plan).hasSize(500);
        for (int i = 1; i < plan.size(); i++) {
            assertThat(plan.get(i).atMillis())
                    .isGreaterThanOrEqualTo(plan.get(i - 1).atMillis());
        }
        assertThat(plan.get(plan.size() - 1).atMillis()).isLessThan(1_800_000);
        assertThat(plan).extracting(PlannedFault::type).contains(FaultType.values());
    }

    @Test
    void pausesAndPartitionsLastLongerThanTheElectionTimeout() {
        // spec/ratis.md s.7: elections time out after 300-600 ms.
        for (PlannedFault f : NemesisSchedule.plan(5, 300, 600_000)) {
            if (f.type() == FaultType.PAUSE_ONE
                    || f.type() == FaultType.PAUSE_LEADER
                    || f.type().partitions()) {
                assertThat(f.holdMillis()).as(f.toString()).isGreaterThanOrEqualTo(1_200);
            }
        }
    }

    @Test
    void typesThatCannotRunHereAreNeverPlanned() {
        Set<FaultType> withoutSlowDisk = EnumSet.complementOf(EnumSet.of(FaultType.SLOW_DISK));
        List<PlannedFault> plan = NemesisSchedule.plan(42, 300, 600_000, withoutSlowDisk);

        assertThat(plan).hasSize(300);
        assertThat(plan).extracting(PlannedFault::type).doesNotContain(FaultType.SLOW_DISK);
        assertThat(plan.subList(0, withoutSlowDisk.size()))
                .extracting(PlannedFault::type)
                .containsExactlyInAnyOrderElementsOf(withoutSlowDisk);
        assertThat(NemesisSchedule.plan(42, 300, 600_000))
                .extracting(PlannedFault::type)
                .contains(FaultType.SLOW_DISK);
        assertThatThrownBy(() -> NemesisSchedule.plan(1, 3, 1_000, EnumSet.noneOf(FaultType.class)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void negativeCountIsRefused() {
        assertThatThrownBy(() -> NemesisSchedule.plan(1, -1, 1_000)).isInstanceOf(IllegalArgumentException.class);
    }
}
