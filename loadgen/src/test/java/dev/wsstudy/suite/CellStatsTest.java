package dev.wsstudy.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CellStatsTest {
    @Test
    void medianIsTheMiddleTrialOrTheMeanOfTheTwoMiddleOnes() {
        assertThat(CellStats.median(new double[] {1, 5, 9})).isEqualTo(5);
        assertThat(CellStats.median(new double[] {1, 2, 8, 9})).isEqualTo(5);
        assertThat(CellStats.median(new double[] {7})).isEqualTo(7);
    }

    @Test
    void statIsMedianWithMinMaxSpreadOverTrials() {
        CellStats c = CellStats.group(Summaries.trials("eventloop", "rate=1000", 900, 300, 600)).get(0);
        CellStats.Stat p99 = c.stat(Metric.P99);
        assertThat(p99.median()).isEqualTo(600);
        assertThat(p99.min()).isEqualTo(300);
        assertThat(p99.max()).isEqualTo(900);
        assertThat(p99.n()).isEqualTo(3);
        assertThat(p99.format(Metric.P99)).isEqualTo("0.600 (0.300–0.900)");
    }

    @Test
    void failedTrialsCarryNoNumbersButFlagTheCell() {
        List<TrialResult> trials = new ArrayList<>(Summaries.trials("eventloop", "rate=1000", 500, 700));
        trials.add(TrialResult.failed("echo-rate", "echo-rate", "eventloop", "rate=1000", 3, "d",
                "loadgen exited with code 1"));
        CellStats c = CellStats.group(trials).get(0);
        assertThat(c.stat(Metric.P99).n()).isEqualTo(2);
        assertThat(c.stat(Metric.P99).median()).isEqualTo(600);
        assertThat(c.flagged()).isTrue();
        assertThat(c.allFailed()).isFalse();
        assertThat(c.flagText()).isEqualTo("1/3 failed: loadgen exited with code 1");
    }

    @Test
    void loadgenBottleneckTrialsFlagTheCellWithTheirReason() {
        CellStats c = CellStats.group(List.of(Summaries.rate("threaded", 30000, 2000, "loadgen-bottleneck"))).get(0);
        assertThat(c.flagged()).isTrue();
        assertThat(c.bottleneckTrials()).isEqualTo(1);
        assertThat(c.stat(Metric.P99).present()).isTrue();
        assertThat(c.flagText()).contains("loadgen-bottleneck: schedule lag");
    }

    @Test
    void groupingKeepsCellsApartByScenarioServerAndLabel() {
        List<TrialResult> t = new ArrayList<>();
        t.add(Summaries.rate("eventloop", 1000, 100, "ok"));
        t.add(Summaries.rate("threaded", 1000, 100, "ok"));
        t.add(Summaries.rate("eventloop", 2000, 100, "ok"));
        t.addAll(Summaries.trials("eventloop", "rate=1000", 200));
        List<CellStats> cells = CellStats.group(t);
        assertThat(cells).extracting(CellStats::dir).containsExactly(
                "echo-rate/eventloop/rate=1000", "echo-rate/threaded/rate=1000", "echo-rate/eventloop/rate=2000");
        assertThat(cells.get(0).trials()).hasSize(2);
    }

    @Test
    void flattenedSummaryUsesDottedKeysAndKeepsNullsEmpty() {
        TrialResult r = Summaries.rate("eventloop", 1000, 400, "ok");
        assertThat(r.values()).containsEntry("latency.corrected.p99", "400.0").containsEntry("delivery", "")
                .containsEntry("params.connections", "50").doesNotContainKeys("status", "scenario");
        assertThat(r.value(Metric.LOST)).isNaN();
        assertThat(r.status()).isEqualTo("ok");
    }
}
