package dev.wsstudy.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.wsstudy.loadgen.measure.HlogFiles;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The output folder of one run is exactly what docs/results-format.md promises. */
class OutputFilesTest {
    /** Every summary.json field the contract lists (docs/results-format.md), as JSON pointers. */
    static final List<String> DOCUMENTED = List.of(
            "/scenario", "/target", "/serverKind", "/params", "/startedAt", "/warmupS", "/durationS", "/mode",
            "/connections", "/offeredRate", "/sent", "/received", "/achievedRate", "/throughputMBps", "/errors",
            "/errorKinds",
            "/latency/corrected/count", "/latency/corrected/mean", "/latency/corrected/p50", "/latency/corrected/p90",
            "/latency/corrected/p99", "/latency/corrected/p999", "/latency/corrected/p9999", "/latency/corrected/max",
            "/latency/uncorrected/count", "/latency/uncorrected/mean", "/latency/uncorrected/p50", "/latency/uncorrected/p90",
            "/latency/uncorrected/p99", "/latency/uncorrected/p999", "/latency/uncorrected/p9999", "/latency/uncorrected/max",
            "/connect/attempted", "/connect/succeeded", "/connect/failed", "/connect/setupUs/p50", "/connect/setupUs/p99",
            "/connect/setupUs/max", "/connect/handshakesPerSec",
            "/delivery",
            "/server/pid", "/server/cpuSeconds", "/server/cpuUsPerMessage", "/server/rssKiBStart", "/server/rssKiBEnd",
            "/server/peakRssKiB", "/server/rssKiBPerConnection", "/server/threadsStart", "/server/threadsMax",
            "/server/fdsStart", "/server/fdsEnd", "/server/socketsStart", "/server/socketsEnd", "/server/statsBefore", "/server/statsAfter",
            "/server/runQueueWaitPct", "/server/starvedPct", "/server/starved",
            "/loadgen/workers", "/loadgen/transport", "/loadgen/timerSlackNs", "/loadgen/runQueueWaitPct", "/loadgen/cpuSeconds", "/loadgen/cpuUsPerMessage", "/loadgen/cpuPct", "/loadgen/ioThreadCpuPct",
            "/loadgen/maxScheduleLagUs", "/loadgen/p99ScheduleLagUs", "/loadgen/bottleneck", "/loadgen/bottleneckReason",
            "/scenarioDetails", "/status", "/failureReason");

    @Test
    void echoClosedRunWritesEveryDocumentedFileAndField(@TempDir Path out) throws Exception {
        HttpServer stats = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stats.createContext("/stats", x -> {
            byte[] b = "{\"kind\":\"test-netty\",\"connections\":5}".getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, b.length);
            x.getResponseBody().write(b);
            x.close();
        });
        stats.start();
        try (TestWsServer server = new TestWsServer()) {
            JsonNode s = RunFixture.run(out, "--scenario=echo-closed", "--url=" + server.url("/echo"),
                    "--connections=5", "--in-flight=2", "--warmup-s=1", "--duration-s=2",
                    // The test server runs in this JVM, so its CPU counts as the generator's here.
                    "--max-cpu-pct-of-budget=100000",
                    "--server-pid=" + ProcessHandle.current().pid(),
                    // Any wait at all (>= 0 %) counts as starved: proves the threshold is applied.
                    "--max-server-wait-pct=0",
                    "--stats-url=http://127.0.0.1:" + stats.getAddress().getPort() + "/stats");

            for (String f : List.of("summary.json", "summary.csv", "latency-corrected.hlog", "latency-uncorrected.hlog",
                    "percentiles-corrected.txt", "percentiles-uncorrected.txt", "timeline.csv", "loadgen.log",
                    HlogFiles.LAG, HlogFiles.SETUP)) {
                assertThat(out.resolve(f)).as(f).isNotEmptyFile();
            }
            String doc = Files.readString(Path.of("..", "docs", "results-format.md"));
            for (String p : DOCUMENTED) {
                assertThat(s.at(p).isMissingNode()).as("summary.json has %s", p).isFalse();
                String leaf = p.substring(p.lastIndexOf('/') + 1);
                assertThat(doc).as("the contract documents %s", p).contains(leaf);
            }
            assertThat(s.get("status").asText()).isEqualTo("ok");
            assertThat(s.get("mode").asText()).isEqualTo("closed");
            assertThat(s.get("serverKind").asText()).isEqualTo("test-netty");
            assertThat(s.at("/connect/succeeded").asLong()).isEqualTo(5);
            assertThat(s.get("received").asLong()).isPositive();
            assertThat(s.at("/latency/corrected/p50").asLong()).isPositive();
            // Closed loop: intended == actual send time, so the two histograms are the same.
            assertThat(s.at("/latency/corrected")).isEqualTo(s.at("/latency/uncorrected"));
            assertThat(s.at("/server/cpuSeconds").asDouble()).isPositive();
            assertThat(s.at("/server/threadsMax").asInt()).isPositive();
            assertThat(s.at("/server/runQueueWaitPct").isNumber()).isTrue();
            assertThat(s.at("/server/runQueueWaitPct").asDouble()).isNotNegative();
            assertThat(s.at("/server/starvedPct").isNumber()).isTrue();
            assertThat(s.at("/server/starved").asBoolean()).isTrue();
            assertThat(s.at("/loadgen/runQueueWaitPct").asDouble()).isNotNegative();
            assertThat(s.at("/loadgen/transport").asText()).isIn("epoll", "io_uring", "nio");
            if (java.nio.file.Files.isSymbolicLink(java.nio.file.Path.of("/proc/thread-self"))) { // Linux
                assertThat(s.at("/loadgen/timerSlackNs").asLong()).as("event loops without timer slack")
                        .isEqualTo(dev.wsstudy.loadgen.client.TimerSlack.WANTED_NS);
            }
            assertThat(s.at("/server/statsAfter/connections").asInt()).isEqualTo(5);
            assertThat(s.at("/loadgen/cpuUsPerMessage").asDouble()).isPositive();
            assertThat(s.at("/params/inFlight").asInt()).isEqualTo(2);

            // The .hlog reads back with HdrHistogram's own reader: same count as the summary.
            long total = 0;
            HistogramLogReader r = new HistogramLogReader(out.resolve(HlogFiles.CORRECTED).toFile());
            int intervals = 0;
            while (r.hasNext()) {
                Histogram h = (Histogram) r.nextIntervalHistogram();
                if (h == null) break;
                if (intervals >= 1 && intervals < 3) total += h.getTotalCount();
                intervals++;
            }
            r.close();
            assertThat(intervals).isGreaterThanOrEqualTo(3);
            assertThat(total).isEqualTo(s.at("/latency/corrected/count").asLong());

            // One connection-setup sample per connection.
            assertThat(HlogFiles.sum(HlogFiles.read(out.resolve(HlogFiles.SETUP), RunFixture.startTimeOf(out.resolve(HlogFiles.SETUP))), 0, 1)
                    .getTotalCount()).isEqualTo(5);

            String pct = Files.readString(out.resolve("percentiles-corrected.txt"));
            assertThat(pct).contains("Value     Percentile TotalCount 1/(1-Percentile)")
                    .containsPattern("Total count\\s*=\\s*" + total + "]");

            List<String> timeline = Files.readAllLines(out.resolve("timeline.csv"));
            assertThat(timeline.get(0)).isEqualTo(
                    "t_s,sent,received,errors,p50_us,p99_us,max_us,server_cpu_pct,server_rss_kib,loadgen_cpu_pct,schedule_lag_us");
            assertThat(timeline).hasSizeGreaterThanOrEqualTo(4);
            assertThat(timeline.get(2).split(",", -1)).hasSize(11);

            List<String> csv = Files.readAllLines(out.resolve("summary.csv"));
            assertThat(csv).hasSize(2);
            assertThat(csv.get(0)).contains("latency.corrected.p99", "server.cpuUsPerMessage", "loadgen.bottleneck", "status");
        } finally {
            stats.stop(0);
        }
    }

    @Test
    void aRateSweepWritesOneCompleteFolderPerRate(@TempDir Path out) throws Exception {
        try (TestWsServer server = new TestWsServer()) {
            int code = Main.execute("run", "--out=" + out, "--scenario=echo-rate", "--url=" + server.url("/echo"),
                    "--rates=100,300", "--connections=3", "--warmup-s=0", "--duration-s=1");
            assertThat(code).isZero();
            for (String r : List.of("100", "300")) {
                Path dir = out.resolve("rate-" + r);
                JsonNode s = RunFixture.JSON.readTree(dir.resolve("summary.json").toFile());
                assertThat(s.get("offeredRate").asDouble()).isEqualTo(Double.parseDouble(r));
                assertThat(s.at("/params/rate").asDouble()).isEqualTo(Double.parseDouble(r));
                assertThat(s.get("mode").asText()).isEqualTo("open");
                assertThat(dir.resolve(HlogFiles.CORRECTED)).isNotEmptyFile();
                assertThat(dir.resolve("timeline.csv")).isNotEmptyFile();
            }
        }
    }
}
