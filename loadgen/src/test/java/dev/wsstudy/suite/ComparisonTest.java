package dev.wsstudy.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComparisonTest {
    static CellStats.Stat stat(double... xs) {
        double[] s = xs.clone();
        java.util.Arrays.sort(s);
        return new CellStats.Stat(CellStats.median(s), s[0], s[s.length - 1], s.length);
    }

    @Test
    void overlappingTrialRangesAreWithinNoise() {
        assertThat(Comparison.verdict(stat(100, 110, 120), stat(115, 125, 130), Metric.P99)).isEqualTo("within noise");
    }

    @Test
    void separatedRangesAreAChangeJudgedByTheMetricsDirection() {
        assertThat(Comparison.verdict(stat(100, 110, 120), stat(130, 140, 150), Metric.P99))
                .isEqualTo("beyond spread: worse");
        assertThat(Comparison.verdict(stat(100, 110, 120), stat(130, 140, 150), Metric.RATE))
                .isEqualTo("beyond spread: better");
        assertThat(Comparison.verdict(stat(130, 140, 150), stat(100, 110, 120), Metric.CPU))
                .isEqualTo("beyond spread: better");
    }

    @Test
    void singleTrialHasNoSpreadToJudgeBy() {
        assertThat(Comparison.verdict(stat(100), stat(200, 210), Metric.P99)).isEqualTo("noise unknown (1 trial)");
        assertThat(Comparison.verdict(CellStats.Stat.NONE, stat(1, 2), Metric.P99)).isEqualTo("not measured in both");
    }

    @Test
    void cellsAreMatchedByScenarioServerAndLabelWithChangeInPercent() {
        List<TrialResult> a = new ArrayList<>(Summaries.trials("eventloop", "rate=1000", 400, 500, 600));
        a.addAll(Summaries.trials("threaded", "rate=1000", 400, 500));
        List<TrialResult> b = new ArrayList<>(Summaries.trials("eventloop", "rate=1000", 800, 1000, 1200));
        b.addAll(Summaries.trials("eventloop", "rate=2000", 400));
        a.add(Summaries.rate("virtualthread", 5000, 900, "ok"));
        b.add(Summaries.rate("virtualthread", 5000, 700, "loadgen-bottleneck"));
        Comparison c = new Comparison(a, b);
        Comparison.Row p99 = c.rows.stream().filter(r -> r.metric() == Metric.P99).findFirst().orElseThrow();
        assertThat(p99.key().server()).isEqualTo("eventloop");
        assertThat(p99.changePct()).isEqualTo(100.0);
        assertThat(p99.verdict()).isEqualTo("beyond spread: worse");
        assertThat(c.onlyA).containsExactly("echo-rate/threaded/rate=1000");
        assertThat(c.onlyB).containsExactly("echo-rate/eventloop/rate=2000");
        String md = c.markdown("runA", "runB");
        assertThat(md).contains("## echo-rate").contains("+100.0%").contains("beyond spread: worse")
                .contains("Only in A: echo-rate/threaded/rate=1000")
                .containsPattern("virtualthread · rate=5000 +\\| msg/s +\\| +5,000 \\| +5,000 † \\|");
    }
}
