package dev.wsstudy.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SuiteLoaderTest {
    static final Path ROOT = RepoRoot.find();

    @Test
    void builtInSuitesLoadByNameWithEveryServer() throws Exception {
        for (String name : List.of("quick", "full")) {
            Suite s = SuiteLoader.load(SuiteLoader.resolve(ROOT, name));
            assertThat(s.name()).isEqualTo(name);
            assertThat(s.servers()).containsExactly("eventloop", "threaded", "virtualthread");
            assertThat(s.scenarios()).isNotEmpty();
            assertThat(s.serverJvmFlags()).isNotEmpty();
        }
    }

    @Test
    void suiteLevelDefaultsFillEveryScenario() {
        Suite s = SuiteLoader.parse("""
                {"name":"t","trials":4,"warmupS":2,"durationS":7,
                 "scenarios":[{"scenario":"echo-rate","params":{"rate":[1,2]}},
                              {"scenario":"echo-closed","trials":1,"durationS":3}]}""", "t.json");
        Suite.Scenario a = s.scenarios().get(0);
        assertThat(a.name()).isEqualTo("echo-rate");
        assertThat(a.trials()).isEqualTo(4);
        assertThat(a.warmupS()).isEqualTo(2);
        assertThat(a.durationS()).isEqualTo(7);
        assertThat(a.path()).isEqualTo("/echo");
        assertThat(a.restart()).isEqualTo(Suite.Restart.scenario);
        Suite.Scenario b = s.scenarios().get(1);
        assertThat(b.trials()).isEqualTo(1);
        assertThat(b.durationS()).isEqualTo(3);
        assertThat(s.servers()).containsExactlyElementsOf(Suite.KINDS);
        assertThat(s.serverJvmFlags()).isEqualTo(SuiteLoader.DEFAULT_SERVER_JVM_FLAGS);
    }

    @Test
    void chatScenariosGoToChatAndStatefulOnesRestartPerCell() {
        Suite s = SuiteLoader.parse("""
                {"name":"t","scenarios":[{"scenario":"broadcast"},{"scenario":"churn"},
                 {"scenario":"idle-connections"},{"scenario":"echo-rate","restart":"cell"}]}""", "t.json");
        assertThat(s.scenarios()).extracting(Suite.Scenario::path).containsExactly("/chat", "/chat", "/echo", "/echo");
        assertThat(s.scenarios()).extracting(Suite.Scenario::restart).containsExactly(
                Suite.Restart.scenario, Suite.Restart.cell, Suite.Restart.cell, Suite.Restart.cell);
    }

    @Test
    void clusterNodesAndScenarioServersAreChecked() {
        Suite s = SuiteLoader.parse("""
                {"name":"t","scenarios":[{"name":"c","scenario":"broadcast","clusterNodes":3,"servers":["virtual"]},
                 {"scenario":"broadcast"}]}""", "t.json");
        assertThat(s.scenarios().get(0).clusterNodes()).isEqualTo(3);
        assertThat(s.scenarios().get(0).servers()).containsExactly("virtualthread");
        assertThat(s.scenarios().get(1).clusterNodes()).isZero();
        assertThat(s.scenarios().get(1).runsOn("threaded")).isTrue();
        assertThatThrownBy(() -> SuiteLoader.parse("""
                {"name":"t","scenarios":[{"scenario":"echo-rate","clusterNodes":3}]}""", "t.json"))
                .hasMessageContaining("scenarios[0].clusterNodes").hasMessageContaining("only for");
        assertThatThrownBy(() -> SuiteLoader.parse("""
                {"name":"t","scenarios":[{"scenario":"broadcast","clusterNodes":1}]}""", "t.json"))
                .hasMessageContaining("2 to 8 nodes");
        assertThatThrownBy(() -> SuiteLoader.parse("""
                {"name":"t","scenarios":[{"scenario":"broadcast","servers":["jetty"]}]}""", "t.json"))
                .hasMessageContaining("scenarios[0].servers").hasMessageContaining("unknown server 'jetty'");
    }

    @Test
    void launcherAliasesNameTheSameServers() {
        Suite s = SuiteLoader.parse("""
                {"name":"t","servers":["virtual","eventloop-server"],"scenarios":[{"scenario":"echo-rate"}]}""", "t");
        assertThat(s.servers()).containsExactly("virtualthread", "eventloop");
    }

    @Test
    void unknownFieldIsRejectedWithItsPath() {
        assertThatThrownBy(() -> SuiteLoader.parse("""
                {"name":"t","scenarios":[{"scenario":"echo-rate","duration":5}]}""", "mine.json"))
                .hasMessageStartingWith("mine.json: scenarios[0].duration: unknown field");
    }

    @Test
    void malformedJsonNamesTheFileAndLine() {
        assertThatThrownBy(() -> SuiteLoader.parse("{\"name\":\"t\",\n\"scenarios\": [,]}", "bad.json"))
                .hasMessageStartingWith("bad.json: not valid JSON").hasMessageContaining("line 2");
    }

    @Test
    void badValuesAreRejectedBeforeAnythingRuns() {
        String[][] cases = {
                {"{\"name\":\"t\",\"scenarios\":[]}", "scenarios: expected a non-empty list"},
                {"{\"name\":\"a b\",\"scenarios\":[{\"scenario\":\"x\"}]}", "name: expected a name"},
                {"{\"name\":\"t\",\"trials\":0,\"scenarios\":[{\"scenario\":\"x\"}]}", "trials: expected a whole number >= 1"},
                {"{\"name\":\"t\",\"servers\":[\"nodejs\"],\"scenarios\":[{\"scenario\":\"x\"}]}", "unknown server 'nodejs'"},
                {"{\"name\":\"t\",\"scenarios\":[{\"scenario\":\"x\",\"restart\":\"trial\"}]}", "restart: expected"},
                {"{\"name\":\"t\",\"scenarios\":[{\"scenario\":\"x\",\"params\":{\"rate\":[]}}]}", "params.rate: expected"},
                {"{\"name\":\"t\",\"scenarios\":[{\"scenario\":\"x\",\"params\":{\"Rate\":1}}]}", "params.Rate: option names"},
                {"{\"name\":\"t\",\"scenarios\":[{\"scenario\":\"x\",\"metrics\":[\"speed\"]}]}", "unknown metric 'speed'"},
                {"{\"name\":\"t\",\"scenarios\":[{\"scenario\":\"x\"},{\"scenario\":\"x\"}]}", "'x' used twice"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> SuiteLoader.parse(c[0], "s.json")).as(c[0]).hasMessageContaining(c[1]);
        }
    }

    @Test
    void externalTargetsMustBeOnThisMachine() {
        assertThatThrownBy(() -> SuiteLoader.parse("""
                {"name":"t","external":[{"name":"node","url":"ws://10.0.0.5:9000/echo"}],
                 "scenarios":[{"scenario":"echo-rate"}]}""", "t.json"))
                .hasMessageContaining("external[0].url").hasMessageContaining("only sent to this machine");
        Suite ok = SuiteLoader.parse("""
                {"name":"t","servers":[],"external":[{"name":"node","url":"ws://127.0.0.1:9000/"}],
                 "scenarios":[{"scenario":"echo-rate"}]}""", "t.json");
        assertThat(ok.targetNames()).containsExactly("node");
        assertThat(SuiteLoader.external("go=ws://localhost:8081/echo").url()).isEqualTo("ws://localhost:8081/echo");
        assertThatThrownBy(() -> SuiteLoader.external("go=ws://192.168.1.2:8081/echo"))
                .hasMessageContaining("only sent to this machine");
        assertThatThrownBy(() -> SuiteLoader.external("threaded=ws://127.0.0.1:1/echo"))
                .hasMessageContaining("one of our servers");
    }

    @Test
    void peersAreFolderNamesOrNamedObjectsWithArgsAndBecomeTargetsAfterOurServers() {
        Suite s = SuiteLoader.parse("""
                {"name":"t","servers":["eventloop"],
                 "peers":["gorilla",{"name":"netty-nio","peer":"netty","args":["--transport","nio"]},{"name":"jetty"}],
                 "external":[{"name":"mine","url":"ws://127.0.0.1:9/echo"}],
                 "scenarios":[{"scenario":"echo-closed","servers":["netty-nio","eventloop"]}]}""", "t.json");
        assertThat(s.peers()).containsExactly(new Suite.Peer("gorilla", "gorilla", List.of()),
                new Suite.Peer("netty-nio", "netty", List.of("--transport", "nio")),
                new Suite.Peer("jetty", "jetty", List.of()));
        assertThat(s.targetNames()).containsExactly("eventloop", "gorilla", "netty-nio", "jetty", "mine");
        assertThat(s.scenarios().get(0).servers()).containsExactly("netty-nio", "eventloop");
        Suite narrowed = s.narrowed(List.of("netty-nio", "eventloop"), null, null);
        assertThat(narrowed.targetNames()).containsExactly("eventloop", "netty-nio");
    }

    @Test
    void badPeerEntriesNameTheField() {
        assertThatThrownBy(() -> SuiteLoader.parse("""
                {"name":"t","peers":["threaded"],"scenarios":[{"scenario":"echo-closed"}]}""", "t.json"))
                .hasMessage("t.json: peers[0]: 'threaded' is one of our servers");
        assertThatThrownBy(() -> SuiteLoader.parse("""
                {"name":"t","peers":["netty",{"name":"netty"}],"scenarios":[{"scenario":"echo-closed"}]}""", "t.json"))
                .hasMessage("t.json: peers[1]: 'netty' listed twice");
        assertThatThrownBy(() -> SuiteLoader.parse("""
                {"name":"t","peers":[{"name":"n","folder":"netty"}],"scenarios":[{"scenario":"echo-closed"}]}""", "t.json"))
                .hasMessageStartingWith("t.json: peers[0].folder: unknown field");
        assertThatThrownBy(() -> SuiteLoader.parse("""
                {"name":"t","peers":["../etc"],"scenarios":[{"scenario":"echo-closed"}]}""", "t.json"))
                .hasMessageStartingWith("t.json: peers[0]: expected a name of letters");
        assertThatThrownBy(() -> SuiteLoader.parse("""
                {"name":"t","peers":["netty"],"external":[{"name":"netty","url":"ws://127.0.0.1:9/echo"}],
                 "scenarios":[{"scenario":"echo-closed"}]}""", "t.json"))
                .hasMessage("t.json: external[0].name: 'netty' is already a target name");
    }

    @Test
    void peersSuiteHasOurThreeServersAndTheFivePeersOfIssue3() throws Exception {
        Suite s = SuiteLoader.load(SuiteLoader.resolve(ROOT, "peers"));
        assertThat(s.servers()).containsExactlyElementsOf(Suite.KINDS);
        assertThat(s.peers()).extracting(Suite.Peer::name)
                .containsExactly("netty-epoll", "netty-nio", "jetty-vt", "node-ws", "gorilla");
        assertThat(s.scenarios()).extracting(Suite.Scenario::type).containsExactly("echo-closed", "idle-connections");
    }
}
