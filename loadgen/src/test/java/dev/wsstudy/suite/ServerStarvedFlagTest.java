package dev.wsstudy.suite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A trial whose server waited for a CPU too long (summary.json {@code server.starved}) flags its
 * cell the way loadgen-bottleneck does: marked in report.md, listed with the wait, never a headline.
 */
class ServerStarvedFlagTest {
    static TrialResult rate(double rate, double p99Us, boolean starved, double waitPct) {
        ObjectNode s = Summaries.echo("echo-rate", rate, rate, p99Us / 4, p99Us, "ok");
        ObjectNode server = (ObjectNode) s.get("server");
        server.put("runQueueWaitPct", waitPct * 3);
        server.put("starvedPct", waitPct);
        server.put("starved", starved);
        return Summaries.trial("echo-rate", "echo-rate", "eventloop", "rate=" + (long) rate, 1, s);
    }

    @Test
    void aStarvedTrialFlagsItsCellWithTheWaitItSaw() {
        CellStats c = CellStats.group(List.of(rate(10000, 400, true, 23.4))).get(0);
        assertThat(c.starvedTrials()).isEqualTo(1);
        assertThat(c.flagged()).isTrue();
        assertThat(c.flagText()).isEqualTo("1/1 server-starved: server waited 23.4% of the window for a CPU that other work held");
    }

    @Test
    void aServerThatWaitedLittleIsNotFlagged() {
        CellStats c = CellStats.group(List.of(rate(10000, 400, false, 2.0))).get(0);
        assertThat(c.starvedTrials()).isZero();
        assertThat(c.flagged()).isFalse();
    }

    @Test
    void aSummaryWithoutTheFieldIsNotStarved() {
        // runs written before the field existed, or without --server-pid: no wait measured, no flag
        assertThat(Summaries.rate("eventloop", 10000, 400, "ok").starved()).isFalse();
    }

    @Test
    void aStarvedCellCountsWhenItMeetsTheBarAndAStarvedMissOnlyBoundsTheFigure() {
        // Starvation only slows the server: meeting the bar in spite of it counts; missing it proves nothing.
        List<TrialResult> t = List.of(rate(10000, 400, false, 1.0), rate(20000, 500, true, 30.0),
                rate(40000, 50000, true, 30.0));
        Headline.Figure f = Headline.echoRate(CellStats.group(t), HeadlineTest.SERVERS).get(0);
        assertThat(f.status()).isEqualTo("reached");
        assertThat(f.value()).isEqualTo(20000);
        assertThat(f.lowerBound()).isTrue();
        assertThat(f.nextFailing().key().cell()).isEqualTo("rate=40000");
    }

    @Test
    void theReportListsStarvedCellsAndComparisonsMarkThem() {
        List<TrialResult> t = List.of(rate(1000, 400, true, 30.0), rate(2000, 400, false, 0.5));
        Report r = new Report(RunFolderTest.suite(), t, Summaries.JSON.createObjectNode());
        assertThat(r.flagged()).contains("**SERVER-STARVED** " + Report.STARVED_MARK + " `echo-rate/eventloop/rate=1000`")
                .contains("server waited 30.0% of the window for a CPU that other work held")
                .doesNotContain("rate=2000");
        CellStats c = CellStats.group(t).get(0);
        assertThat(Comparison.marks(c)).isEqualTo(" " + Report.STARVED_MARK);
    }
}
