package dev.wsstudy.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The machine-jitter probe as its own JVM (pinned as a suite run pins, when the machine allows),
 * what a probe that cannot run records, the DAMON sysfs reading, and the report's line. Nothing
 * here asserts how small the jitter is: that is the machine's, not the code's.
 */
class MachineJitterTest {
    @TempDir
    Path tmp;

    @Test
    void probeProcessesMeasureEveryCpuTheRunUsesAndReportValidFigures() {
        Pinning pinning = Pinning.detect(true, Runtime.getRuntime().availableProcessors());
        ObjectNode mj = JitterBaseline.measure(pinning, 1);

        assertThat(mj.path("durationS").asInt()).isEqualTo(1);
        assertThat(mj.path("sleepMs").asInt()).isEqualTo(1);
        assertThat(mj.path("perCpu")).hasSize(pinning.enabled() ? 2 : 1);
        for (JsonNode c : mj.path("perCpu")) {
            assertThat(c.has("error")).as(c.toString()).isFalse();
            assertThat(c.path("samples").asLong()).as(c.toString()).isPositive();
            assertThat(c.path("p50Us").asLong()).isLessThanOrEqualTo(c.path("p99Us").asLong());
            assertThat(c.path("p99Us").asLong()).isLessThanOrEqualTo(c.path("p999Us").asLong());
            assertThat(c.path("p999Us").asLong()).isLessThanOrEqualTo(c.path("maxUs").asLong());
            assertThat(c.path("stallsOver1ms").asLong()).isBetween(0L, c.path("samples").asLong());
            assertThat(c.path("stallMsTotal").asDouble()).isGreaterThanOrEqualTo(c.path("stallsOver1ms").asLong());
            assertThat(c.has("timerSlackNs")).isTrue();
        }
        if (pinning.enabled()) {
            assertThat(mj.path("perCpu").get(0).path("role").asText()).isEqualTo("loadgen");
            assertThat(mj.path("perCpu").get(0).path("cpu").asInt()).isEqualTo(Integer.parseInt(pinning.loadgenCpus()));
            assertThat(mj.path("perCpu").get(1).path("role").asText()).isEqualTo("server");
        }
        assertThat(JitterBaseline.describe(mj)).startsWith("Machine jitter before the run (1 ms sleeps, 1 s per CPU): ")
                .contains(" stall");
    }

    @Test
    void aProbeThatCannotRunRecordsWhyAndTheOtherStillMeasures() {
        // taskset refuses a CPU that does not exist; CPU 0 always does.
        Pinning pinning = new Pinning(Pinning.findOnPath("taskset") != null, "4095", "0", "test");
        ObjectNode mj = JitterBaseline.measure(pinning.enabled() ? pinning
                : new Pinning(true, "0", "0", "test: no taskset"), 1);

        JsonNode server = mj.path("perCpu").get(1);
        if (pinning.enabled()) {
            assertThat(server.path("cpu").asInt()).isEqualTo(4095);
            assertThat(server.path("error").asText()).startsWith("probe exited with code 1").contains("taskset");
            assertThat(server.has("samples")).isFalse();
            assertThat(JitterBaseline.describe(mj)).contains("CPU 4095 (server) probe failed: probe exited with code 1");
        } else {
            assertThat(server.path("error").asText()).startsWith("probe did not start: ");
        }
        assertThat(mj.path("perCpu").get(0).path("role").asText()).isEqualTo("loadgen");
    }

    @Test
    void probeRejectsLessThanOneSecond() {
        assertThat(new picocli.CommandLine(new MachineJitter()).execute("--seconds", "0")).isEqualTo(2);
    }

    @Test
    void damonThreadsAreReadFromSysfsAndAbsentWhenThereIsNone() throws Exception {
        Path k0 = tmp.resolve("kdamonds/0");
        Files.createDirectories(k0.resolve("contexts/0/monitoring_attrs/intervals"));
        Files.createDirectories(k0.resolve("contexts/0/schemes/0"));
        Files.writeString(k0.resolve("state"), "on\n");
        Files.writeString(k0.resolve("contexts/0/monitoring_attrs/intervals/sample_us"), "5000\n");
        Files.writeString(k0.resolve("contexts/0/monitoring_attrs/intervals/aggr_us"), "500000\n");
        Files.writeString(k0.resolve("contexts/0/schemes/0/action"), "pageout\n");
        Files.createDirectories(tmp.resolve("kdamonds/1"));   // no state file: not reported
        Files.writeString(tmp.resolve("kdamonds/nr_kdamonds"), "2\n");

        JsonNode k = JitterBaseline.kdamonds(tmp.resolve("kdamonds"));
        assertThat(k).hasSize(1);
        assertThat(k.get(0).toString()).isEqualTo(
                "{\"id\":\"0\",\"state\":\"on\",\"sampleUs\":5000,\"aggrUs\":500000,\"schemeActions\":[\"pageout\"]}");
        assertThat(JitterBaseline.kdamonds(tmp.resolve("no-such-dir"))).isEmpty();
    }

    @Test
    void reportLineStatesEachCpuAndKdamondFromTheRunJson() throws Exception {
        JsonNode mj = RunFolder.JSON.readTree("""
                {"durationS":5,"sleepMs":1,
                 "perCpu":[{"cpu":0,"role":"loadgen","samples":4872,"p50Us":16,"p99Us":36,"p999Us":3383,
                            "maxUs":4611,"stallsOver1ms":14,"stallMsTotal":42.3,"timerSlackNs":1},
                           {"cpu":1,"role":"server","error":"probe exited with code 1: taskset: bad CPU"}],
                 "kdamond":[{"id":"0","state":"on","schemeActions":["pageout"]}]}""");
        assertThat(JitterBaseline.describe(mj)).isEqualTo("Machine jitter before the run (1 ms sleeps, 5 s per CPU):"
                + " CPU 0 (loadgen) p99 36 µs, max 4.6 ms, 14 stalls ≥ 1 ms (42.3 ms in all);"
                + " CPU 1 (server) probe failed: probe exited with code 1: taskset: bad CPU; kdamond.0 on (pageout)");

        ObjectNode run = RunFolder.JSON.createObjectNode();
        run.set("machineJitter", mj);
        assertThat(new Report(RunFolderTest.suite(), RunFolderTest.results(), run).conditions())
                .contains("- " + JitterBaseline.describe(mj));
        assertThat(new Report(RunFolderTest.suite(), RunFolderTest.results(), RunFolder.JSON.createObjectNode())
                .conditions()).doesNotContain("Machine jitter");
        assertThat(JitterBaseline.describe(RunFolder.JSON.readTree("""
                {"durationS":2,"sleepMs":1,"perCpu":[{"cpu":null,"role":"server and loadgen (unpinned)","samples":9,
                 "p99Us":80,"maxUs":1200,"stallsOver1ms":1,"stallMsTotal":1.2}]}""")))
                .endsWith("(1 ms sleeps, 2 s per CPU): server and loadgen (unpinned) p99 80 µs, max 1.2 ms,"
                        + " 1 stall ≥ 1 ms (1.2 ms in all)");
    }

    @Test
    void suiteFileSetsTheProbeSecondsWithinOneToSixty() {
        String base = "{\"name\":\"t\",%s\"scenarios\":[{\"scenario\":\"echo-rate\"}]}";
        assertThat(SuiteLoader.parse(base.formatted(""), "t.json").machineJitterS())
                .isEqualTo(JitterBaseline.DEFAULT_SECONDS);
        assertThat(SuiteLoader.parse(base.formatted("\"machineJitterS\":2,"), "t.json").machineJitterS()).isEqualTo(2);
        assertThatThrownBy(() -> SuiteLoader.parse(base.formatted("\"machineJitterS\":0,"), "t.json"))
                .hasMessageContaining("machineJitterS");
        assertThatThrownBy(() -> SuiteLoader.parse(base.formatted("\"machineJitterS\":61,"), "t.json"))
                .hasMessageContaining("machineJitterS: expected at most 60");
    }
}
