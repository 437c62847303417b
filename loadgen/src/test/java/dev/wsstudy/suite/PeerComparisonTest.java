package dev.wsstudy.suite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 3's ratios and verdicts from made-up trials (the numbers below are test values, not
 * measurements): medians over trials, our server ÷ the peer in the same cell, PASS/MISS from them.
 */
class PeerComparisonTest {

    /** One echo-closed trial: msg/s and server CPU µs/msg as given, issue 3's conditions unless said. */
    static TrialResult echo(String server, String cell, int trial, double rate, double cpuUs, int connections,
                            String status) {
        ObjectNode s = Summaries.echo("echo-closed", null, rate, 300, 900, status);
        ((ObjectNode) s.get("params")).put("connections", connections).put("inFlight", 1).put("payloadBytes", 64)
                .put("text", false);
        ((ObjectNode) s.get("server")).put("cpuUsPerMessage", cpuUs);
        return Summaries.trial("echo-closed", "echo-closed", server, cell, trial, s);
    }

    static TrialResult idle(String server, double kibPerConnection) {
        ObjectNode s = Summaries.echo("idle-connections", null, 0, 0, 0, "ok");
        ((ObjectNode) s.get("server")).put("rssKiBPerConnection", kibPerConnection);
        return Summaries.trial("idle-connections", "idle-connections", server, "default", 1, s);
    }

    static List<TrialResult> three(String server, double r1, double r2, double r3, double cpu) {
        return List.of(echo(server, "default", 1, r1, cpu, 50, "ok"), echo(server, "default", 2, r2, cpu, 50, "ok"),
                echo(server, "default", 3, r3, cpu, 50, "ok"));
    }

    static PeerComparison.Verdict verdict(List<TrialResult> trials, String ours, String peer, Metric m) {
        PeerComparison pc = new PeerComparison(CellStats.group(trials));
        return pc.verdicts().stream().filter(v -> v.target().ours().equals(ours) && v.target().metric() == m
                && java.util.Objects.equals(v.target().peer(), peer)).findFirst().orElseThrow();
    }

    @Test
    void throughputRatioIsTheRatioOfMediansAndPassesAtOrAboveTheBound() {
        List<TrialResult> t = new ArrayList<>();
        t.addAll(three("eventloop", 10_000, 66_000, 60_000, 8));   // median 60,000 (the 10,000 outlier ignored)
        t.addAll(three("netty-epoll", 50_000, 40_000, 55_000, 10)); // median 50,000
        PeerComparison.Verdict rate = verdict(t, "eventloop", "netty-epoll", Metric.RATE);
        assertThat(rate.value()).isEqualTo(1.2);
        assertThat(rate.status()).isEqualTo("PASS");
        assertThat(rate.cells()).extracting(CellStats::dir)
                .containsExactly("echo-closed/eventloop/default", "echo-closed/netty-epoll/default");
        PeerComparison.Verdict cpu = verdict(t, "eventloop", "netty-epoll", Metric.CPU);
        assertThat(cpu.value()).isEqualTo(0.8);
        assertThat(cpu.status()).as("at most the peer's CPU per message").isEqualTo("PASS");
    }

    @Test
    void belowTheBoundIsAMissAndTheNodeTargetNeedsOneAndAHalfTimes() {
        List<TrialResult> t = new ArrayList<>();
        t.addAll(three("eventloop", 56_000, 56_000, 56_000, 12));
        t.addAll(three("node-ws", 40_000, 40_000, 40_000, 14));
        t.addAll(three("netty-epoll", 60_000, 60_000, 60_000, 10));
        assertThat(verdict(t, "eventloop", "node-ws", Metric.RATE).status()).as("1.4 < 1.5").isEqualTo("MISS");
        assertThat(verdict(t, "eventloop", "netty-epoll", Metric.RATE).status()).isEqualTo("MISS");
        assertThat(verdict(t, "eventloop", "netty-epoll", Metric.CPU).status()).isEqualTo("MISS");
    }

    @Test
    void aPeerThatWasNotMeasuredOrFailedEverywhereGivesNotApplicableNeverAVerdict() {
        List<TrialResult> t = new ArrayList<>(three("virtualthread", 50_000, 50_000, 50_000, 15));
        t.add(TrialResult.failed("echo-closed", "echo-closed", "gorilla", "default", 1, "x",
                "peer not available: peers/gorilla/run is missing or not executable"));
        PeerComparison.Verdict v = verdict(t, "virtualthread", "gorilla", Metric.RATE);
        assertThat(v.status()).isEqualTo("n/a");
        assertThat(v.value()).isNaN();
        assertThat(v.note()).contains("virtualthread and gorilla");
    }

    @Test
    void aVerdictFromAFlaggedCellCarriesItsMark() {
        List<TrialResult> t = new ArrayList<>(three("eventloop", 70_000, 70_000, 70_000, 9));
        t.add(echo("netty-epoll", "default", 1, 60_000, 10, 50, "loadgen-bottleneck"));
        PeerComparison.Verdict v = verdict(t, "eventloop", "netty-epoll", Metric.RATE);
        assertThat(v.status()).isEqualTo("PASS");
        assertThat(v.mark()).isEqualTo(" " + Report.BOTTLENECK_MARK);
    }

    @Test
    void aVerdictFromAServerStarvedCellCarriesTheStarvedMark() {
        List<TrialResult> t = new ArrayList<>(three("eventloop", 70_000, 70_000, 70_000, 9));
        ObjectNode s = Summaries.echo("echo-closed", null, 60_000, 300, 900, "ok");
        ((ObjectNode) s.get("params")).put("connections", 50).put("inFlight", 1).put("payloadBytes", 64);
        ((ObjectNode) s.get("server")).put("starved", true).put("starvedPct", 40.0);
        t.add(Summaries.trial("echo-closed", "echo-closed", "netty-epoll", "default", 1, s));
        PeerComparison.Verdict v = verdict(t, "eventloop", "netty-epoll", Metric.RATE);
        assertThat(v.flagged()).isTrue();
        assertThat(v.mark()).isEqualTo(" " + Report.STARVED_MARK);
    }

    @Test
    void theCellWithIssue3ConditionsIsPreferredOverEarlierOnes() {
        List<TrialResult> t = new ArrayList<>();
        t.add(echo("eventloop", "connections=1", 1, 20_000, 20, 1, "ok"));
        t.add(echo("netty-epoll", "connections=1", 1, 10_000, 20, 1, "ok"));
        t.add(echo("eventloop", "connections=50", 1, 50_000, 9, 50, "ok"));
        t.add(echo("netty-epoll", "connections=50", 1, 100_000, 9, 50, "ok"));
        PeerComparison.Verdict v = verdict(t, "eventloop", "netty-epoll", Metric.RATE);
        assertThat(v.value()).isEqualTo(0.5);
        assertThat(v.cells().get(0).key().cell()).isEqualTo("connections=50");
    }

    @Test
    void idleMemoryTargetsAreAbsoluteKibPerConnection() {
        List<TrialResult> t = List.of(idle("eventloop", 3.5), idle("virtualthread", 9.0), idle("netty-epoll", 7.0));
        assertThat(verdict(t, "eventloop", null, Metric.RSS_PER_CONNECTION).status()).isEqualTo("PASS");
        PeerComparison.Verdict vt = verdict(t, "virtualthread", null, Metric.RSS_PER_CONNECTION);
        assertThat(vt.status()).isEqualTo("MISS");
        assertThat(vt.value()).isEqualTo(9.0);
        assertThat(new PeerComparison(CellStats.group(t)).pair("eventloop", "netty-epoll", Metric.RSS_PER_CONNECTION,
                PeerComparison.IDLE_TYPE).map(p -> PeerComparison.ratio(p, Metric.RSS_PER_CONNECTION))).hasValue(0.5);
    }

    @Test
    void reportAndHeadlineShowPeersAsColumnsRatiosAndTargets() {
        List<TrialResult> t = new ArrayList<>();
        t.addAll(three("eventloop", 60_000, 60_000, 60_000, 9));
        t.addAll(three("netty-epoll", 50_000, 50_000, 50_000, 10));
        t.add(idle("eventloop", 3.0));
        t.add(idle("netty-epoll", 6.0));
        Suite suite = SuiteLoader.parse("""
                {"name":"p","servers":["eventloop"],"peers":[{"name":"netty-epoll","peer":"netty"},"gorilla"],
                 "scenarios":[{"scenario":"echo-closed"},{"scenario":"idle-connections"}]}""", "p.json");
        ObjectNode run = Summaries.JSON.createObjectNode();
        Report r = new Report(suite, t, run);
        // Tables pad their columns; compare with runs of spaces squeezed to one.
        String md = r.markdown("test-run").replaceAll(" +", " ").replaceAll("-{2,}", "-");
        assertThat(md).contains("## vs peers (issue 3)")
                .contains("| server | ratio | ÷ netty-epoll | ÷ gorilla |")
                .contains("| eventloop | msg/s | 1.20× | n/a |")
                .contains("| eventloop msg/s ÷ netty-epoll's ≥ 1 | echo-closed/eventloop/default vs"
                        + " echo-closed/netty-epoll/default | 1.20 | PASS |")
                .contains("| virtualthread msg/s ÷ gorilla's ≥ 1 | no echo-closed cell with numbers for both virtualthread"
                        + " and gorilla | n/a | n/a |")
                .contains("| cell | metric | eventloop | netty-epoll | gorilla |")
                .contains("no /stats, so its values are n/a");
        JsonNode json = new PeerComparison(CellStats.group(t)).toJson(Summaries.JSON);
        assertThat(json.get(0).path("status").asText()).isEqualTo("PASS");
        assertThat(json.get(0).path("value").asDouble()).isEqualTo(1.2);
        assertThat(json.get(4).path("target").asText()).isEqualTo("eventloop server KiB/conn ≤ 4");
        assertThat(json.get(4).path("status").asText()).isEqualTo("PASS");
    }
}
