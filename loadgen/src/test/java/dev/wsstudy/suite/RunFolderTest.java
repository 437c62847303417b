package dev.wsstudy.suite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFolderTest {
    @TempDir
    Path tmp;

    static Suite suite() {
        return SuiteLoader.parse("""
                {"name":"t","trials":2,"servers":["eventloop","threaded"],
                 "scenarios":[{"scenario":"echo-rate","params":{"rate":[1000,2000]}},
                              {"scenario":"broadcast","params":{"members":[10]}}]}""", "t.json");
    }

    /** Every cell × trial of suite(), with one failed cell and one loadgen-bottleneck trial. */
    static List<TrialResult> results() {
        List<TrialResult> r = new ArrayList<>();
        for (String server : List.of("eventloop", "threaded")) {
            for (int rate : new int[] {1000, 2000}) {
                for (int t = 1; t <= 2; t++) {
                    String status = server.equals("threaded") && rate == 2000 && t == 2 ? "loadgen-bottleneck" : "ok";
                    r.add(Summaries.trial("echo-rate", "echo-rate", server, "rate=" + rate, t,
                            Summaries.echo("echo-rate", (double) rate, rate, 100 + t, 400 + 10 * t, status)));
                }
            }
            for (int t = 1; t <= 2; t++) {
                r.add(server.equals("threaded")
                        ? TrialResult.failed("broadcast", "broadcast", server, "members=10", t,
                                "broadcast/threaded/members=10/trial-" + t, "server did not answer /health with 200 within 30 s")
                        : Summaries.trial("broadcast", "broadcast", server, "members=10", t,
                                Summaries.broadcast(100, 99.5, "ok")));
            }
        }
        return r;
    }

    @Test
    void folderIsNamedByUtcTimeAndSuiteAndNeverReused() throws Exception {
        Instant at = Instant.parse("2026-03-04T05:06:07Z");
        RunFolder a = RunFolder.create(tmp, "quick", at);
        RunFolder b = RunFolder.create(tmp, "quick", at);
        assertThat(a.dir.getFileName().toString()).isEqualTo("20260304T050607Z-quick");
        assertThat(b.dir.getFileName().toString()).isEqualTo("20260304T050607Z-quick-2");
        assertThat(a.trialDir("echo-rate", "eventloop", "rate=1000", 2)).isDirectory()
                .isEqualTo(a.dir.resolve("echo-rate/eventloop/rate=1000/trial-2"));
    }

    @Test
    void summariesHoldRunInfoEveryTrialHeadlineAndReport() throws Exception {
        Suite suite = suite();
        RunFolder f = RunFolder.create(tmp, suite.name(), Instant.now());
        Pinning pin = Pinning.detect(true, 2);
        ObjectNode run = RunInfo.collect(RunFolder.JSON, SuiteLoaderTest.ROOT, suite, pin, "./wsstudy suite t",
                Instant.now());
        f.writeSummaries(suite, results(), run, Instant.now());

        JsonNode r = RunFolder.JSON.readTree(f.dir.resolve("run.json").toFile());
        for (String p : List.of("/git/commit", "/git/dirty", "/jdk/vendor", "/jdk/version", "/serverJvmFlags",
                "/loadgenJvmFlags", "/os/name", "/os/kernel", "/cpu/model", "/cpu/cores", "/pinning/enabled",
                "/pinning/description", "/suiteDefinition/scenarios", "/commandLine", "/startedAt", "/endedAt",
                "/counts/trials")) {
            assertThat(r.at(p).isMissingNode() || r.at(p).isNull()).as(p).isFalse();
        }
        assertThat(r.at("/git/commit").asText()).matches("[0-9a-f]{40}|unknown");
        assertThat(r.at("/counts/failed").asInt()).isEqualTo(2);
        assertThat(r.at("/suiteDefinition/scenarios/0/params/rate/1").asInt()).isEqualTo(2000);

        List<String> csv = Files.readAllLines(f.dir.resolve("summary.csv"));
        int cellsTimesTrials = 2 * (2 + 1) * 2;
        assertThat(csv).hasSize(1 + cellsTimesTrials);
        assertThat(csv.get(0)).startsWith("suite,scenario,scenarioType,server,cell,trial,status,failureReason,dir,")
                .contains("latency.corrected.p99");
        assertThat(RunFolder.readSummaryCsv(f.dir)).hasSize(cellsTimesTrials)
                .filteredOn(TrialResult::failed).hasSize(2)
                .allSatisfy(t -> assertThat(t.failureReason()).contains("/health"));

        JsonNode h = RunFolder.JSON.readTree(f.dir.resolve("headline.json").toFile());
        assertThat(h.at("/echoRate/eventloop/value").asDouble()).isEqualTo(2000);
        assertThat(h.at("/echoRate/threaded/value").asDouble())
                .as("its 2000 cell is loadgen-bound but meets the bar, which such a flag cannot fake").isEqualTo(2000);
        assertThat(h.at("/echoRate/threaded/lowerBound").asBoolean()).as("no miss measured above it").isTrue();
        assertThat(h.at("/broadcastClients/eventloop/value").asDouble()).isEqualTo(100);
        assertThat(h.at("/broadcastClients/threaded/status").asText()).isEqualTo("not measured");

        String md = Files.readString(f.dir.resolve("report.md"));
        assertThat(md).contains("## echo-rate\n").contains("## broadcast\n")
                .containsPattern("\\| cell +\\| metric +\\| +eventloop \\| +threaded \\|");
        String flagged = md.substring(md.indexOf("## Flagged cells"), md.indexOf("## echo-rate"));
        assertThat(flagged).contains("**FAILED** ✗ `broadcast/threaded/members=10`: 2/2 failed: server did not answer")
                .contains("**LOADGEN-BOTTLENECK** † `echo-rate/threaded/rate=2000`: 1/2 loadgen-bottleneck");
        assertThat(md).contains("failed ✗").contains(" †");
        assertThat(md).contains("## Conditions").contains("2 trials, warm-up 5 s, measured 20 s")
                .contains("-Xms1g -Xmx1g -XX:+UseParallelGC").contains(pin.description());
    }

    @Test
    void reportWarnsWhenTheMachineWasBusyAtTheStart() {
        ObjectNode run = RunFolder.JSON.createObjectNode();
        run.putObject("cpu").put("cores", 2);
        run.put("loadAverageAtStart", "3.50 2.00 1.00 3/400 1234");
        assertThat(new Report(suite(), results(), run).busyWarning()).contains("load average was 3.5 on 2 cores");
        run.put("loadAverageAtStart", "0.40 2.00 1.00 3/400 1234");
        assertThat(new Report(suite(), results(), run).busyWarning()).isEmpty();
    }

    @Test
    void csvQuotesCommasQuotesAndLineBreaksAndReadsThemBack() {
        String line = Csv.line(List.of("a,b", "say \"hi\"", "two\nlines", "plain"));
        assertThat(line).isEqualTo("\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",plain\n");
        assertThat(Csv.parse("x,y,z,w\n" + line)).singleElement()
                .satisfies(m -> assertThat(m).containsEntry("x", "a,b").containsEntry("y", "say \"hi\"")
                        .containsEntry("z", "two\nlines").containsEntry("w", "plain"));
    }
}
