package dev.wsstudy.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wsstudy.loadgen.measure.HlogFiles;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the real command line in-process and reads its output folder back. */
final class RunFixture {
    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode run(Path out, String... args) throws IOException {
        List<String> a = new ArrayList<>(List.of("run", "--out=" + out));
        a.addAll(List.of(args));
        int code = Main.execute(a.toArray(String[]::new));
        assertThat(code).as("exit code of loadgen %s", a).isZero();
        return JSON.readTree(out.resolve("summary.json").toFile());
    }

    /**
     * The stall tests' run: open-loop echo at 1,000 messages/s over 10 connections with one message
     * in flight each (so message n is intended about n ms into the run), against {@code server},
     * whose one thread stalls {@code stallMs} at message {@code stallAtMessage}. The run itself must
     * succeed (a flagged loadgen bottleneck included).
     */
    static JsonNode echoRateThroughAStall(Path out, TestWsServer server, long stallAtMessage, long stallMs,
                                          int warmupS, int durationS) throws IOException {
        server.stallAfter(stallAtMessage, stallMs);
        JsonNode s = run(out, "--scenario=echo-rate", "--url=" + server.url("/echo"), "--rate=1000",
                "--connections=10", "--max-in-flight=1", "--warmup-s=" + warmupS, "--duration-s=" + durationS);
        assertThat(s.get("status").asText()).isIn("ok", "loadgen-bottleneck");
        return s;
    }

    /** The measured period of an output folder's interval log, read back with HistogramLogReader. */
    static Histogram measured(Path out, String hlog, JsonNode summary) throws IOException {
        long startMs = java.time.Instant.parse(summary.get("startedAt").asText()).toEpochMilli();
        // Interval timestamps are relative to the log's own StartTime; read it from the file.
        TreeMap<Integer, Histogram> intervals = HlogFiles.read(out.resolve(hlog), startTimeOf(out.resolve(hlog)));
        int w = summary.get("warmupS").asInt(), d = summary.get("durationS").asInt();
        assertThat(startMs).isPositive();
        return HlogFiles.sum(intervals, w, w + d);
    }

    static long startTimeOf(Path hlog) throws IOException {
        for (String line : java.nio.file.Files.readAllLines(hlog)) {
            if (line.startsWith("#[StartTime: ")) {
                return (long) (Double.parseDouble(line.substring(13).split(" ")[0]) * 1000);
            }
        }
        throw new IllegalStateException("no StartTime in " + hlog);
    }
}
