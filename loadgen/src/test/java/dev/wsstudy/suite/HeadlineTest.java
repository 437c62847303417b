package dev.wsstudy.suite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeadlineTest {
    static final List<String> SERVERS = List.of("eventloop", "threaded", "virtualthread");

    @Test
    void echoHeadlineIsTheHighestRateWhoseP99IsAtMostTenMs() {
        List<TrialResult> t = List.of(
                Summaries.rate("eventloop", 10000, 400, "ok"),
                Summaries.rate("eventloop", 20000, 10000, "ok"),
                Summaries.rate("eventloop", 40000, 25000, "ok"),
                Summaries.rate("eventloop", 80000, 900000, "ok"));
        Headline.Figure f = Headline.echoRate(CellStats.group(t), SERVERS).get(0);
        assertThat(f.status()).isEqualTo("reached");
        assertThat(f.value()).isEqualTo(20000);
        assertThat(f.source().key().cell()).isEqualTo("rate=20000");
        assertThat(f.nextFailing().key().cell()).isEqualTo("rate=40000");
    }

    @Test
    void aLoadgenBoundCellThatStillMeetsTheBarCountsBecauseItsLatencyCanOnlyBeOverstated() {
        List<TrialResult> t = List.of(
                Summaries.rate("threaded", 10000, 400, "ok"),
                Summaries.rate("threaded", 40000, 500, "loadgen-bottleneck"),
                Summaries.rate("threaded", 80000, 90000, "ok"));
        Headline.Figure f = Headline.echoRate(CellStats.group(t), SERVERS).get(1);
        assertThat(f.value()).isEqualTo(40000);
        assertThat(f.lowerBound()).as("the next miss (80000) was clean").isFalse();
    }

    @Test
    void aFailedTrialStillDisqualifiesItsCell() {
        List<TrialResult> t = List.of(
                Summaries.rate("threaded", 10000, 400, "ok"),
                Summaries.rate("threaded", 40000, 500, "ok"),
                TrialResult.failed("echo-rate", "echo-rate", "threaded", "rate=40000", 2, "d", "server crashed"));
        assertThat(Headline.echoRate(CellStats.group(t), SERVERS).get(1).value()).isEqualTo(10000);
    }

    @Test
    void aMissOnlyWhereTheLoadgenWasTheLimitMakesTheFigureALowerBound() {
        List<TrialResult> t = List.of(
                Summaries.rate("eventloop", 10000, 400, "ok"),
                Summaries.rate("eventloop", 20000, 30000, "loadgen-bottleneck"));
        Headline.Figure f = Headline.echoRate(CellStats.group(t), SERVERS).get(0);
        assertThat(f.value()).isEqualTo(10000);
        assertThat(f.lowerBound()).isTrue();
        assertThat(f.note()).startsWith("not met at 20000, where a trial was flagged").endsWith("the limit may lie higher");
        assertThat(Report.figure(f, " msg/s")).startsWith("≥ ").endsWith(" msg/s (rate=10000)");
    }

    @Test
    void aSweepThatNeverMissedIsALowerBound() {
        List<TrialResult> t = List.of(Summaries.rate("eventloop", 10000, 400, "ok"));
        assertThat(Headline.echoRate(CellStats.group(t), SERVERS).get(0).lowerBound()).isTrue();
    }

    @Test
    void missingAtTheLowestCellWhereItWasFlaggedIsInconclusiveNotAFigure() {
        List<TrialResult> t = List.of(
                Summaries.rate("virtualthread", 10000, 40000, "loadgen-bottleneck"),
                Summaries.rate("virtualthread", 20000, 90000, "ok"));
        Headline.Figure f = Headline.echoRate(CellStats.group(t), SERVERS).get(2);
        assertThat(f.status()).isEqualTo("inconclusive");
        assertThat(f.value()).isNaN();
        assertThat(f.nextFailing().key().cell()).isEqualTo("rate=10000");
        assertThat(Headline.toJson(Summaries.JSON, CellStats.group(t), SERVERS)
                .at("/echoRate/virtualthread/flaggedCell/cell").asText()).isEqualTo("rate=10000");
    }

    @Test
    void aRateTheServerDidNotAchieveDoesNotCount() {
        TrialResult lossy = Summaries.trial("echo-rate", "echo-rate", "eventloop", "rate=50000", 1,
                Summaries.echo("echo-rate", 50000.0, 30000, 100, 400, "ok"));
        List<TrialResult> t = List.of(Summaries.rate("eventloop", 10000, 400, "ok"), lossy);
        assertThat(Headline.echoRate(CellStats.group(t), SERVERS).get(0).value()).isEqualTo(10000);
    }

    @Test
    void medianOverTrialsDecidesNotTheBestTrial() {
        List<TrialResult> t = new ArrayList<>();
        t.addAll(Summaries.trials("virtualthread", "rate=1000", 5000, 12000, 15000));
        Headline.Figure f = Headline.echoRate(CellStats.group(t), SERVERS).get(2);
        assertThat(f.status()).isEqualTo("not reached");
        assertThat(f.nextFailing().key().cell()).isEqualTo("rate=1000");
    }

    @Test
    void serverWithoutSweepIsNotMeasuredAndFailedSweepSaysSo() {
        List<TrialResult> t = List.of(Summaries.rate("eventloop", 10000, 400, "ok"),
                TrialResult.failed("echo-rate", "echo-rate", "threaded", "rate=10000", 1, "d", "server did not start"));
        List<Headline.Figure> f = Headline.echoRate(CellStats.group(t), SERVERS);
        assertThat(f.get(1).status()).isEqualTo("not measured");
        assertThat(f.get(1).note()).isEqualTo("1 echo-rate cells failed");
        assertThat(f.get(2).status()).isEqualTo("not measured");
        assertThat(f.get(2).note()).isEqualTo("no echo-rate cells");
    }

    @Test
    void broadcastHeadlineIsTheMostClientsWithNinetyFivePercentWithin500ms() {
        List<TrialResult> t = new ArrayList<>();
        int[] clients = {100, 500, 1000, 2000};
        double[] within = {100, 99.1, 95.0, 60};
        for (int i = 0; i < clients.length; i++) {
            t.add(Summaries.trial("broadcast", "broadcast", "eventloop", "members=" + clients[i] / 10, 1,
                    Summaries.broadcast(clients[i], within[i], "ok")));
        }
        Headline.Figure f = Headline.broadcastClients(CellStats.group(t), SERVERS).get(0);
        assertThat(f.status()).isEqualTo("reached");
        assertThat(f.value()).isEqualTo(1000);
        assertThat(f.source().key().cell()).isEqualTo("members=100");
    }

    @Test
    void headlineJsonNamesCriteriaAndSourceCells() {
        List<TrialResult> t = List.of(Summaries.rate("eventloop", 10000, 400, "ok"),
                Summaries.rate("threaded", 10000, 40000, "ok"));
        JsonNode j = Headline.toJson(Summaries.JSON, CellStats.group(t), SERVERS);
        assertThat(j.at("/criteria/echoRate").asText()).contains("p99 <= 10000 us");
        assertThat(j.at("/echoRate/eventloop/status").asText()).isEqualTo("reached");
        assertThat(j.at("/echoRate/eventloop/value").asDouble()).isEqualTo(10000);
        assertThat(j.at("/echoRate/eventloop/lowerBound").asBoolean()).isTrue();
        assertThat(j.at("/echoRate/eventloop/cell/dir").asText()).isEqualTo("echo-rate/eventloop/rate=10000");
        assertThat(j.at("/echoRate/eventloop/cell/latency.corrected.p99.median").asDouble()).isEqualTo(400);
        assertThat(j.at("/echoRate/threaded/status").asText()).isEqualTo("not reached");
        assertThat(j.at("/echoRate/threaded/value").isNull()).isTrue();
        assertThat(j.at("/echoRate/threaded/lowestCell/cell").asText()).isEqualTo("rate=10000");
        assertThat(j.at("/echoRate/virtualthread/status").asText()).isEqualTo("not measured");
        assertThat(j.at("/broadcastClients/eventloop/status").asText()).isEqualTo("not measured");
    }

    @Test
    void aClusterCellIsNotOneServersBroadcastFigure() {
        com.fasterxml.jackson.databind.node.ObjectNode cluster = Summaries.broadcast(21000, 100, "ok");
        cluster.put("target", "ws://127.0.0.1:1/chat,ws://127.0.0.1:2/chat,ws://127.0.0.1:3/chat");
        List<TrialResult> t = List.of(
                Summaries.trial("broadcast", "broadcast", "eventloop", "members=10", 1, Summaries.broadcast(100, 100, "ok")),
                Summaries.trial("cluster-broadcast-21k", "broadcast", "eventloop", "default", 1, cluster));
        Headline.Figure f = Headline.broadcastClients(CellStats.group(t), SERVERS).get(0);
        assertThat(f.value()).isEqualTo(100);
    }
}
