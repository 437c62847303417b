package dev.wsstudy.suite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reference peer through the real path (peers/README.md): peers/netty/run started pinned like our
 * servers, its JVM flags from the suite, /health awaited, echo verified, one short echo-closed cell
 * measured by the real loadgen without /stats; and a peer whose folder does not exist recorded as
 * failed while the run goes on. 10–25 s depending on the machine.
 */
class SuitePeerEndToEndTest {
    @TempDir
    Path results;

    @Test
    void aJavaPeerGetsARealEchoClosedNumberAndAMissingPeerFailsOnlyItsOwnCells() throws Exception {
        SuiteFixture.Ran ran = SuiteFixture.run(SuiteFixture.rootWith("peers/netty/target/peer-netty.jar"), results, """
                {"name":"tiny-peers","trials":1,"machineJitterS":1,"warmupS":1,"durationS":2,"servers":[],
                 "peers":[{"name":"netty-nio","peer":"netty","args":["--transport","nio","--threads","1"]},
                          "no-such-peer"],
                 "serverJvmFlags":["-Xms64m","-Xmx256m","-XX:+UseSerialGC","-Xlog:gc:file=gc.log"],
                 "loadgenJvmFlags":["-Xmx256m"],
                 "scenarios":[{"scenario":"echo-closed","params":{"connections":10,"payload-bytes":64}},
                              {"scenario":"broadcast"}]}""", "tiny-peers.json");
        SuiteRunner runner = ran.runner();
        RunFolder f = ran.folder();

        assertThat(runner.results()).hasSize(2);
        TrialResult netty = runner.results().get(0);
        assertThat(netty.server()).isEqualTo("netty-nio");
        assertThat(netty.status()).as(ran.err()).isIn("ok", "loadgen-bottleneck");
        assertThat(netty.value(Metric.RATE)).isGreaterThan(0);
        assertThat(netty.value(Metric.CPU)).as("server CPU sampled from /proc of the exec'd JVM").isGreaterThan(0);
        TrialResult missing = runner.results().get(1);
        assertThat(missing.failed()).isTrue();
        assertThat(missing.failureReason())
                .isEqualTo("peer not available: peers/no-such-peer/run is missing or not executable");

        Path dir = f.dir.resolve("echo-closed/netty-nio");
        JsonNode summary = RunFolder.JSON.readTree(dir.resolve("default/trial-1/summary.json").toFile());
        assertThat(summary.at("/serverKind").asText()).isEqualTo("netty-nio");
        assertThat(summary.at("/server/statsBefore").isNull()).as("a peer has no /stats").isTrue();
        assertThat(dir.resolve("server.log")).content().contains("peer-netty: listening on")
                .contains("transport nio, 1 I/O event loops").contains("WSSTUDY_JVM_FLAGS=-Xms64m")
                .contains("[wsstudy-suite] stopped: exited");
        assertThat(dir.resolve("gc.log")).as("the suite's JVM flags reached the peer's JVM").isRegularFile();
        assertThat(ran.out().replaceAll(" +", " ")).contains("## vs peers (issue 3)")
                .contains("| cell | metric | netty-nio | no-such-peer |").contains("failed ✗");
        assertThat(ran.err()).contains("skipped: netty-nio × broadcast (peers run echo scenarios only)");
    }
}
