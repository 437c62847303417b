package dev.wsstudy.suite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real path, end to end: the event-loop server's jar as its own (pinned) JVM, verified, then
 * one short echo-rate cell measured by the real loadgen in its own JVM, then the run folder. The
 * loadgen is started from the test classpath (its jar is packaged after this module's tests);
 * the server jar is built before this module (test dependency in loadgen/pom.xml). About 8 s.
 */
class SuiteEndToEndTest {
    @TempDir
    Path results;

    @Test
    void tinySuiteAgainstTheRealServerAndLoadgenFillsTheRunFolder() throws Exception {
        SuiteFixture.Ran ran = SuiteFixture.run(SuiteFixture.rootWithEventLoopServer(), results, """
                {"name":"tiny","trials":1,"machineJitterS":1,"warmupS":1,"durationS":2,"servers":["eventloop"],
                 "serverJvmFlags":["-Xms64m","-Xmx256m","-XX:+UseSerialGC"],"loadgenJvmFlags":["-Xmx256m"],
                 "scenarios":[{"scenario":"echo-rate","params":{"connections":10,"rate":[500]}}]}""", "tiny.json");
        RunFolder f = ran.folder();

        TrialResult t = ran.result(0);
        assertThat(t.status()).as(ran.err()).isIn("ok", "loadgen-bottleneck");
        assertThat(t.value(Metric.RATE)).isGreaterThan(0);
        Path trial = f.dir.resolve("echo-rate/eventloop/rate=500/trial-1");
        for (String file : List.of("summary.json", "latency-corrected.hlog", "latency-uncorrected.hlog",
                "timeline.csv", "loadgen-console.log", "server.log")) {
            assertThat(trial.resolve(file)).as(file).isRegularFile();
        }
        JsonNode summary = RunFolder.JSON.readTree(trial.resolve("summary.json").toFile());
        assertThat(summary.at("/serverKind").asText()).isEqualTo("eventloop");
        long serverPid = summary.at("/server/pid").asLong();
        assertThat(ProcessHandle.of(serverPid).map(ProcessHandle::isAlive).orElse(false))
                .as("server stopped after its scenario").isFalse();
        assertThat(f.dir.resolve("echo-rate/eventloop/server.log")).content()
                .contains("wsstudy-eventloop listening on").contains("[wsstudy-suite] stopped: exited");
        assertThat(Files.readAllLines(f.dir.resolve("summary.csv"))).hasSize(2);
        JsonNode run = RunFolder.JSON.readTree(f.dir.resolve("run.json").toFile());
        assertThat(run.at("/counts/trials").asInt()).isEqualTo(1);
        assertThat(run.at("/endedAt").asText()).isNotEmpty();
        // The jitter baseline, measured before the first cell on each CPU the run pinned to.
        JsonNode jitter = run.path("machineJitter");
        assertThat(jitter.path("durationS").asInt()).isEqualTo(1);
        assertThat(jitter.path("perCpu")).as(jitter.toString()).hasSize(run.at("/pinning/enabled").asBoolean() ? 2 : 1)
                .allSatisfy(c -> assertThat(c.path("samples").asLong()).as(c.toString()).isPositive());
        assertThat(f.dir.resolve("report.md")).content().contains("- Machine jitter before the run (1 ms sleeps, 1 s per CPU): ");
        assertThat(ran.err()).contains("Machine jitter before the run");
        assertThat(RunFolder.JSON.readTree(f.dir.resolve("headline.json").toFile()).at("/echoRate/eventloop/status")
                .asText()).isIn("reached", "not reached", "inconclusive");
        assertThat(ran.out()).contains("## echo-rate").contains("| eventloop |");
        assertThat(ran.err()).contains("eventloop · echo-rate rate=500: server up on port").contains("[1/1 100%");
    }
}
