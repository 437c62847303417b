package dev.wsstudy.loadgen;

import dev.wsstudy.loadgen.measure.SelfCheck;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** When the generator, not the server, limited a measurement, the result says so. */
class SelfCheckTest {
    private final SelfCheck check = new SelfCheck(1000, 85, 0.05);

    @Test
    void aGeneratorWithinItsBudgetIsNotFlagged() {
        SelfCheck.Verdict v = check.judge(true, 200L, 40, 1, 1000, 3);
        assertThat(v.bottleneck()).isFalse();
        assertThat(v.reason()).isNull();
    }

    @Test
    void scheduleLagAboveTheLimitIsFlaggedInOpenLoop() {
        SelfCheck.Verdict v = check.judge(true, 2500L, 40, 1, 1000, 0);
        assertThat(v.bottleneck()).isTrue();
        assertThat(v.reason()).contains("schedule lag p99 2500 us");
    }

    @Test
    void lagOfAMostlyIdleGeneratorIsStillFlaggedButNamedAsLateWakeUps() {
        SelfCheck.Verdict idle = check.judge(true, 1100L, 6, 1, 1000, 0);
        assertThat(idle.bottleneck()).isTrue();
        assertThat(idle.reason()).startsWith("schedule lag p99 1100 us > 1000 us with the event loop at 6% of its 1 core(s)")
                .contains("not a busy generator");
        assertThat(check.judge(true, 1100L, 60, 1, 1000, 0).reason()).doesNotContain("late wake-ups");
    }

    @Test
    void cpuAboveItsShareOfTheCoreBudgetIsFlagged() {
        assertThat(check.judge(false, null, 90, 1, 0, 0).reason()).contains("event-loop CPU 90%");
        // Two workers: 170% of 200% is within 85%.
        assertThat(check.judge(false, null, 170, 2, 0, 0).bottleneck()).isFalse();
        assertThat(check.judge(false, null, 171, 2, 0, 0).bottleneck()).isTrue();
    }

    @Test
    void aBackedUpSendQueueIsFlagged() {
        SelfCheck.Verdict v = check.judge(true, 100L, 10, 1, 1000, 100);
        assertThat(v.bottleneck()).isTrue();
        assertThat(v.reason()).contains("send queue backed up on 100 of 1000");
    }

    @Test
    void closedLoopIgnoresScheduleLag() {
        assertThat(check.judge(false, 99_999L, 10, 1, 0, 0).bottleneck()).isFalse();
    }

    @Test
    void severalReasonsAreAllReported() {
        SelfCheck.Verdict v = check.judge(true, 5000L, 99, 1, 100, 50);
        assertThat(v.reason().split("; ")).hasSize(3);
    }
}
