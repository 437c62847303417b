package dev.wsstudy.suite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CrosscheckReportTest {
    static CrosscheckReport.Side side(String tool, double rate, double p50, double p99, double cpuPct) {
        return new CrosscheckReport.Side(tool, rate, p50, 2 * p50, p99, 3 * p99, 1000, 0, cpuPct, 100, 1, 30, 12, 2,
                new ArrayList<>(), p50, null);
    }

    static CrosscheckReport report(double closedLoadgen, double closedTsung, double p50Loadgen, double p99Loadgen) {
        return new CrosscheckReport(
                new CrosscheckReport.Part("closed loop", "50 connections", side("loadgen", closedLoadgen, 900, 3000, 40),
                        side("tsung", closedTsung, 1000, 3000, 50)),
                new CrosscheckReport.Part("moderate constant rate", "5000 msgs/s", side("loadgen", 5000, p50Loadgen,
                        p99Loadgen, 10), side("tsung", 5000, 100, 400, 10)),
                List.of("load average at start: 0.10"));
    }

    @Test
    void throughputPassesWithinFifteenPercentOfTheIndependentClient() {
        assertThat(report(8500, 10000, 100, 400).criteria().get(0).pass()).isTrue();
        assertThat(report(11500, 10000, 100, 400).criteria().get(0).pass()).isTrue();
        assertThat(report(8400, 10000, 100, 400).criteria().get(0).pass()).isFalse();
        assertThat(report(11600, 10000, 100, 400).criteria().get(0).pass()).isFalse();
    }

    @Test
    void p50AndP99PassWithinTwentyFivePercent() {
        List<CrosscheckReport.Criterion> ok = report(10000, 10000, 75, 500).criteria();
        assertThat(ok.get(1).pass()).isTrue();
        assertThat(ok.get(2).pass()).isTrue();
        List<CrosscheckReport.Criterion> bad = report(10000, 10000, 74, 501).criteria();
        assertThat(bad.get(1).pass()).isFalse();
        assertThat(bad.get(2).pass()).isFalse();
        assertThat(report(10000, 10000, 100, 400).allPass()).isTrue();
        assertThat(report(10000, 10000, 100, 501).allPass()).isFalse();
    }

    @Test
    void aMissingNumberFailsItsCriterion() {
        CrosscheckReport r = report(Double.NaN, 10000, 100, 400);
        assertThat(r.criteria().get(0).pass()).isFalse();
        assertThat(r.markdown("x")).contains("| closed loop: throughput (msgs/s) | n/a | 10000 | n/a |");
    }

    @Test
    void aCpuBoundClientIsNamedNextToTheVerdict() {
        CrosscheckReport.Part closed = new CrosscheckReport.Part("closed loop", "w",
                side("loadgen", 10000, 900, 3000, 40), side("tsung", 9000, 1000, 3000, 97));
        CrosscheckReport r = new CrosscheckReport(closed, report(1, 1, 100, 400).paced.get(0), List.of());
        assertThat(r.criteria().get(0).caveats()).singleElement().asString()
                .startsWith("closed loop: tsung used 97.0% CPU").contains("measures the client");
        assertThat(r.criteria().get(1).caveats()).isEmpty();
        assertThat(r.markdown("x")).contains("**PASS (see caveats)**").contains("## Caveats");
    }

    @Test
    void flagsAndErrorsOfEitherSideBecomeCaveats() {
        CrosscheckReport.Side lg = side("loadgen", 5000, 100, 400, 10);
        lg.flags().add("status loadgen-bottleneck: schedule lag");
        CrosscheckReport.Side ts = new CrosscheckReport.Side("tsung", 5000, 100, 2, 400, 900, 10, 3, 10, 100, 1, 1, 1,
                1, new ArrayList<>(), 100, null);
        List<String> c = CrosscheckReport.caveats(new CrosscheckReport.Part("p", "w", lg, ts), false);
        assertThat(c).containsExactly("p: loadgen: status loadgen-bottleneck: schedule lag",
                "p: tsung counted 3 errors in the measured period");
    }

    @Test
    void timeHeldBackByOtherWorkIsNamedAsTheMachinesDoing() {
        CrosscheckReport.Side starved = new CrosscheckReport.Side("tsung", 5000, 100, 2, 400, 900, 10, 0, 30, 100, 45,
                1, 1, 60, new ArrayList<>(), 100, null);
        List<String> c = CrosscheckReport.caveats(new CrosscheckReport.Part("p", "w",
                side("loadgen", 5000, 100, 400, 10), starved), true);
        assertThat(c).containsExactly(
                "p: tsung's threads waited 45.0% of the time for a CPU that other work held (it ran 30.0%): the"
                        + " machine held the client back",
                "p: during tsung's run the server's threads waited 60.0% of the time for a CPU that other work held:"
                        + " the machine held the server back");
    }

    @Test
    void markdownHasTheTableRatiosVerdictsAndConditions() {
        String md = report(9000, 10000, 100, 600).markdown("20260101T000000Z-crosscheck");
        assertThat(md).contains("# Cross-check 20260101T000000Z-crosscheck")
                .contains("| closed loop: throughput (msgs/s) | 9000 | 10000 | 0.900 | ±15% | **PASS** |")
                .contains("| moderate constant rate: p99 (µs) | 600 | 400 | 1.500 | ±25% | **FAIL** |")
                .contains("Overall: **FAIL**").contains("- load average at start: 0.10")
                .contains("| tsung | 10000 | 1000 |");
    }

    @Test
    void jsonCarriesEveryCriterionWithItsRatioAndResult() {
        JsonNode j = report(9000, 10000, 100, 400).toJson(RunFolder.JSON);
        assertThat(j.get("allPass").asBoolean()).isTrue();
        assertThat(j.get("criteria")).hasSize(3);
        assertThat(j.at("/criteria/0/ratio").asDouble()).isEqualTo(0.9);
        assertThat(j.at("/criteria/0/result").asText()).isEqualTo("PASS");
        assertThat(j.get("trials").asInt()).isEqualTo(1);
        assertThat(j.at("/criteria/0/ratios/0").asDouble()).isEqualTo(0.9);
        assertThat(j.at("/closed/0/independent/rate").asDouble()).isEqualTo(10000); // one entry per trial
    }

    @Test
    void theWireTableSaysWhatEachClientAddedToTheServersOwnLatency() {
        CrosscheckReport.Side lg = side("loadgen", 5000, 90, 400, 10).withWire(new CrosscheckReport.Wire(
                new WireLatency.Stats(100000, 30, 40, 300, 900, 7, 0), 0, null));
        CrosscheckReport.Side ts = side("tsung", 5000, 350, 900, 10).withWire(new CrosscheckReport.Wire(
                new WireLatency.Stats(100000, 32, 45, 320, 950, 70, 0), 12, null));
        String md = new CrosscheckReport(report(9000, 10000, 100, 400).closed.get(0),
                new CrosscheckReport.Part("moderate constant rate", "w", lg, ts), List.of()).markdown("x");
        assertThat(md).contains("What the server's socket saw")
                .contains("| loadgen | 100000 | 30.0 | 40.0 | 300 | 90.0 | 60.0 | 7.0 |  |")
                .contains("| tsung | 100000 | 32.0 | 45.0 | 320 | 350 | 318 | 70.0 | tcpdump lost 12 packets |");
        assertThat(report(9000, 10000, 100, 400).markdown("x")).doesNotContain("What the server's socket saw");
    }

    @Test
    void overSeveralTrialsTheVerdictIsOnTheMedianOfTheTrialsRatios() {
        // p50 ratios per trial: 0.50, 0.80, 0.90. One bad trial does not decide; the median (0.80) passes.
        CrosscheckReport r = new CrosscheckReport(
                List.of(report(10000, 10000, 50, 400).closed.get(0), report(9000, 10000, 80, 400).closed.get(0),
                        report(7000, 10000, 90, 400).closed.get(0)),
                List.of(report(1, 1, 50, 400).paced.get(0), report(1, 1, 80, 800).paced.get(0),
                        report(1, 1, 90, 400).paced.get(0)),
                List.of());
        CrosscheckReport.Criterion throughput = r.criteria().get(0), p50 = r.criteria().get(1), p99 = r.criteria().get(2);
        assertThat(p50.ratios()).containsExactly(0.5, 0.8, 0.9);
        assertThat(p50.ratio()).isEqualTo(0.8);
        assertThat(p50.pass()).isTrue();
        assertThat(p50.loadgen()).isEqualTo(80); // the median of the loadgen's own p50s
        assertThat(throughput.ratio()).isEqualTo(0.9);
        assertThat(p99.ratio()).isEqualTo(1.0);
        String md = r.markdown("x");
        assertThat(md).contains("3 trials").contains("| moderate constant rate: p50 (µs) | 80.0 | 100 | 0.800 | 0.50, 0.80, 0.90 |")
                .contains("| 2 | loadgen | 5000 | 80.0 |");
    }

    @Test
    void anEvenNumberOfTrialsTakesTheMeanOfTheMiddleTwo() {
        assertThat(CrosscheckReport.median(List.of(0.4, 1.0, 0.6, 2.0))).isEqualTo(0.8);
        assertThat(CrosscheckReport.median(List.of(1.0, Double.NaN))).isNaN();
    }

    @Test
    void aTrialWithoutANumberFailsTheCriterionWhateverTheOthersSay() {
        CrosscheckReport r = new CrosscheckReport(
                List.of(report(10000, 10000, 100, 400).closed.get(0), report(Double.NaN, 10000, 100, 400).closed.get(0),
                        report(10000, 10000, 100, 400).closed.get(0)),
                List.of(report(1, 1, 100, 400).paced.get(0), report(1, 1, 100, 400).paced.get(0),
                        report(1, 1, 100, 400).paced.get(0)),
                List.of());
        assertThat(r.criteria().get(0).pass()).isFalse();
        assertThat(r.criteria().get(1).pass()).isTrue();
    }
}
