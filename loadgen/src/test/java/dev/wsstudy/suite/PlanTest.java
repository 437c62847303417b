package dev.wsstudy.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlanTest {
    static Suite suite(String scenarios) {
        return SuiteLoader.parse("{\"name\":\"t\",\"trials\":2,\"warmupS\":1,\"durationS\":3,"
                + "\"external\":[{\"name\":\"node\",\"url\":\"ws://127.0.0.1:9/echo\"}],\"scenarios\":" + scenarios + "}",
                "t.json");
    }

    @Test
    void listValuedParamsSpanTheMatrixFirstParamOutermost() {
        List<Plan.Cell> cells = Plan.cells(suite("""
                [{"scenario":"broadcast","params":{"rooms":[1,2],"members":[10,20,30],"rate":100,"text":true}}]""")
                .scenarios().get(0));
        assertThat(cells).extracting(Plan.Cell::label).containsExactly(
                "rooms=1,members=10", "rooms=1,members=20", "rooms=1,members=30",
                "rooms=2,members=10", "rooms=2,members=20", "rooms=2,members=30");
        assertThat(cells.get(4).loadgenArgs()).containsExactly(
                "--rooms", "2", "--members", "20", "--rate", "100", "--text");
    }

    @Test
    void scenarioWithoutListsIsOneDefaultCell() {
        List<Plan.Cell> cells = Plan.cells(suite("[{\"scenario\":\"churn\",\"params\":{\"connections\":20}}]")
                .scenarios().get(0));
        assertThat(cells).extracting(Plan.Cell::label).containsExactly("default");
    }

    @Test
    void runsGoScenarioByScenarioThenServerByServer() {
        Plan plan = Plan.of(suite("[{\"scenario\":\"echo-rate\",\"params\":{\"rate\":[1,2]}},"
                + "{\"scenario\":\"echo-closed\"}]"));
        assertThat(plan.runs()).extracting(r -> r.scenario().name() + ":" + r.target()).containsExactly(
                "echo-rate:eventloop", "echo-rate:threaded", "echo-rate:virtualthread", "echo-rate:node",
                "echo-closed:eventloop", "echo-closed:threaded", "echo-closed:virtualthread", "echo-closed:node");
        assertThat(plan.trialCount()).isEqualTo(4 * 2 * 2 + 4 * 1 * 2);
    }

    @Test
    void restartPerCellGivesEachCellItsOwnServerProcess() {
        Plan plan = Plan.of(suite("[{\"scenario\":\"idle-connections\",\"params\":{\"connections\":[10,20,30]}}]"));
        assertThat(plan.runs()).filteredOn(r -> !r.external()).hasSize(9)
                .allSatisfy(r -> assertThat(r.cells()).hasSize(1));
        assertThat(plan.runs()).filteredOn(Plan.ServerRun::external).as("an external target is never restarted")
                .singleElement().satisfies(r -> assertThat(r.cells()).hasSize(3));
    }

    @Test
    void externalTargetsRunOnlyEchoScenarios() {
        Plan plan = Plan.of(suite("[{\"scenario\":\"broadcast\"},{\"scenario\":\"echo-rate\"}]"));
        assertThat(plan.runs()).filteredOn(Plan.ServerRun::external)
                .extracting(r -> r.scenario().name()).containsExactly("echo-rate");
        assertThat(plan.skipped()).singleElement().asString().contains("node × broadcast");
    }

    @Test
    void estimateIsPlannedTimePlusProcessOverheads() {
        Plan plan = Plan.of(suite("[{\"scenario\":\"echo-rate\",\"params\":{\"rate\":[1,2]}}]"));
        double perTrial = 1 + 3 + Plan.LOADGEN_OVERHEAD_S;
        double expected = plan.jitterSeconds() + 3 * (Plan.SERVER_OVERHEAD_S + 2 * 2 * perTrial) + (Plan.EXTERNAL_OVERHEAD_S + 2 * 2 * perTrial);
        assertThat(plan.estimateSeconds()).isCloseTo(expected, within(1e-9));
        assertThat(plan.describe()).contains("estimated " + Plan.clock(expected)).contains("rate=2  --rate 2");
    }

    @Test
    void aClusterScenarioRunsOnlyOnItsServersAndCountsEveryNodesStart() {
        Plan plan = Plan.of(suite("[{\"scenario\":\"broadcast\",\"clusterNodes\":3,"
                + "\"servers\":[\"eventloop\",\"virtual\"],\"params\":{\"rate\":10}}]"));
        assertThat(plan.runs()).extracting(Plan.ServerRun::target).containsExactly("eventloop", "virtualthread");
        assertThat(plan.skipped()).anySatisfy(s -> assertThat(s).contains("threaded × broadcast")
                .contains("runs on eventloop, virtualthread only"));
        double perTrial = 1 + 3 + Plan.LOADGEN_OVERHEAD_S;
        assertThat(plan.runs().get(0).estimateSeconds())
                .isCloseTo(3 * Plan.SERVER_OVERHEAD_S + Plan.REDIS_OVERHEAD_S + 2 * perTrial, within(1e-9));
        assertThat(plan.describe()).contains("3-node cluster on redis-server");
    }

    @Test
    void commandLineNarrowsServersScenariosAndTrials() {
        Suite s = suite("[{\"scenario\":\"echo-rate\"},{\"scenario\":\"echo-closed\",\"trials\":5}]")
                .narrowed(List.of("virtual", "node"), List.of("echo-closed"), 1);
        assertThat(s.targetNames()).containsExactly("virtualthread", "node");
        assertThat(s.scenarios()).singleElement().satisfies(sc -> {
            assertThat(sc.name()).isEqualTo("echo-closed");
            assertThat(sc.trials()).isEqualTo(1);
        });
        assertThatThrownBy(() -> suite("[{\"scenario\":\"echo-rate\"}]").narrowed(List.of("jetty"), null, null))
                .hasMessageContaining("'jetty' is not in suite t");
        assertThatThrownBy(() -> suite("[{\"scenario\":\"echo-rate\"}]").narrowed(null, List.of("nope"), null))
                .hasMessageContaining("'nope' is not in suite t");
    }

    @Test
    void quickSuiteIsPlannedUnderThreeMinutesAndFullUnderAnHour() throws Exception {
        Plan quick = Plan.of(SuiteLoader.load(SuiteLoader.resolve(SuiteLoaderTest.ROOT, "quick")));
        Plan full = Plan.of(SuiteLoader.load(SuiteLoader.resolve(SuiteLoaderTest.ROOT, "full")));
        assertThat(quick.estimateSeconds()).isLessThan(170);
        assertThat(full.estimateSeconds()).isLessThan(3300);
    }

    @Test
    void progressEtaIsRemainingPlanScaledByObservedPace() {
        long[] now = {0};
        Progress p = new Progress(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), 100, 10,
                () -> now[0]);
        assertThat(p.etaS()).isEqualTo(100);
        now[0] = 5_000_000_000L;
        p.advance(5, 1);
        assertThat(p.etaS()).as("too little done to judge the pace").isEqualTo(95);
        now[0] = 30_000_000_000L;
        p.advance(15, 2);
        assertThat(p.etaS()).as("20 s planned took 30 s: 80 s left × 1.5").isCloseTo(120, within(1e-9));
        now[0] = 300_000_000_000L;
        assertThat(p.etaS()).as("pace clamped at 3×").isCloseTo(240, within(1e-9));
        assertThat(p.status()).startsWith("[3/10  20% · elapsed 5:00 · ETA 4:00]");
    }

    @Test
    void peersRunOnlyEchoScenariosAndRestartLikeOurServers() {
        Suite s = SuiteLoader.parse("""
                {"name":"t","servers":["eventloop"],"peers":[{"name":"netty-nio","peer":"netty","args":["--transport","nio"]}],
                 "scenarios":[{"scenario":"broadcast"},{"scenario":"idle-connections","params":{"connections":[10,20]}}]}""",
                "t.json");
        Plan plan = Plan.of(s);
        assertThat(plan.runs()).extracting(Plan.ServerRun::target)
                .containsExactly("eventloop", "eventloop", "eventloop", "netty-nio", "netty-nio");
        assertThat(plan.runs().get(3).peer().args()).containsExactly("--transport", "nio");
        assertThat(plan.runs().get(3).isPeer()).isTrue();
        assertThat(plan.runs().get(0).isPeer()).isFalse();
        assertThat(plan.skipped()).containsExactly("netty-nio × broadcast (peers run echo scenarios only)");
    }

    @Test
    void peersSuiteIsPlannedUnderTwelveMinutes() throws Exception {
        Plan peers = Plan.of(SuiteLoader.load(SuiteLoader.resolve(SuiteLoaderTest.ROOT, "peers")));
        assertThat(peers.estimateSeconds()).isLessThan(12 * 60);
        assertThat(peers.describe()).contains("targets: eventloop, threaded, virtualthread, netty-epoll, netty-nio,"
                + " jetty-vt, node-ws, gorilla");
    }
}
