package dev.wsstudy.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsstudy.loadgen.measure.HlogFiles;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Several processes' interval logs add up interval by interval, exactly. */
class WorkerMergeTest {
    static final long START = 1_700_000_000_000L;

    private static void writeLog(Path file, long[][] valuesPerInterval) throws Exception {
        HistogramLogWriter w = HlogFiles.open(file, START);
        for (int i = 0; i < valuesPerInterval.length; i++) {
            Histogram h = new Histogram(1, 60_000_000L, 3);
            for (long v : valuesPerInterval[i]) h.recordValue(v);
            h.setStartTimeStamp(START + i * 1000L);
            h.setEndTimeStamp(START + (i + 1) * 1000L);
            w.outputIntervalHistogram(h);
        }
        w.close();
    }

    @Test
    void mergingAddsHistogramsThatShareAnInterval(@TempDir Path dir) throws Exception {
        // Worker A: interval 0 = {100 x3}, interval 1 = {1000}; worker B: interval 0 = {200}, 1 = {}, 2 = {50000 x2}.
        writeLog(dir.resolve("a.hlog"), new long[][] {{100, 100, 100}, {1000}});
        writeLog(dir.resolve("b.hlog"), new long[][] {{200}, {}, {50_000, 50_000}});

        TreeMap<Integer, Histogram> merged = HlogFiles.merge(List.of(dir.resolve("a.hlog"), dir.resolve("b.hlog")), START);

        assertThat(merged.keySet()).containsExactly(0, 1, 2);
        assertThat(merged.get(0).getTotalCount()).isEqualTo(4);
        assertThat(merged.get(0).getCountAtValue(100)).isEqualTo(3);
        assertThat(merged.get(0).getCountAtValue(200)).isEqualTo(1);
        assertThat(merged.get(1).getTotalCount()).isEqualTo(1);
        assertThat(merged.get(2).getCountAtValue(50_000)).isEqualTo(2);

        Histogram all = HlogFiles.sum(merged, 0, 3);
        assertThat(all.getTotalCount()).isEqualTo(7);
        // Sorted: 100 100 100 200 1000 50000 50000.
        assertThat(all.getValueAtPercentile(40)).isEqualTo(all.highestEquivalentValue(100));   // 3rd of 7
        assertThat(all.getValueAtPercentile(50)).isEqualTo(all.highestEquivalentValue(200));   // 4th of 7
        assertThat(all.getValueAtPercentile(70)).isEqualTo(all.highestEquivalentValue(1000));   // ceil(4.9) = 5th
        assertThat(all.getValueAtPercentile(80)).isEqualTo(all.highestEquivalentValue(50_000)); // ceil(5.6) = 6th

        assertThat(all.getMaxValue()).isEqualTo(all.highestEquivalentValue(50_000));
        assertThat(HlogFiles.sum(merged, 1, 3).getTotalCount()).isEqualTo(3);         // a measured window

        // Round trip through the merged log file keeps every count.
        HlogFiles.write(dir.resolve("m.hlog"), START, merged);
        TreeMap<Integer, Histogram> back = HlogFiles.read(dir.resolve("m.hlog"), START);
        assertThat(HlogFiles.sum(back, 0, 3).getTotalCount()).isEqualTo(7);
        assertThat(back.get(2).getCountAtValue(50_000)).isEqualTo(2);
    }

    @Test
    void twoWorkerProcessesShareConnectionsAndTheirResultsAddUp(@TempDir Path out) throws Exception {
        try (TestWsServer server = new TestWsServer()) {
            JsonNode s = RunFixture.run(out, "--scenario=echo-rate", "--url=" + server.url("/echo"),
                    "--rate=400", "--connections=6", "--workers=2", "--warmup-s=1", "--duration-s=2",
                    "--source-addresses=127.0.0.1,127.0.0.2");
            assertThat(s.get("status").asText()).as(s.toString()).isIn("ok", "loadgen-bottleneck");
            assertThat(s.at("/connect/succeeded").asLong()).isEqualTo(6);
            assertThat(s.at("/loadgen/workers").asInt()).isEqualTo(2);

            long[] perWorker = new long[2];
            long sum = 0;
            for (int i = 0; i < 2; i++) {
                Path d = out.resolve("workers").resolve(Integer.toString(i));
                ShareReport r = Share.readReport(d);
                assertThat(r.connectSucceeded).isEqualTo(3);
                perWorker[i] = HlogFiles.sum(HlogFiles.read(d.resolve(HlogFiles.CORRECTED), RunFixture.startTimeOf(d.resolve(HlogFiles.CORRECTED))), 1, 3).getTotalCount();
                sum += perWorker[i];
            }
            assertThat(perWorker[0]).isPositive();
            assertThat(perWorker[1]).isPositive();
            assertThat(s.at("/latency/corrected/count").asLong()).isEqualTo(sum);
        }
    }
}
