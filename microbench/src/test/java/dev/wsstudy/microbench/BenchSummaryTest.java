package dev.wsstudy.microbench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/bench_summary.py turns jmh.json into the targets' PASS/MISS: checked here on a hand-made
 * jmh.json whose ratios are known, through the real script and the real python3.
 */
class BenchSummaryTest {
    @TempDir
    Path run;

    static String result(String benchmark, String params, double score) {
        return String.format(Locale.ROOT, """
                {"jmhVersion":"1.37","benchmark":"dev.wsstudy.microbench.%s","mode":"thrpt","forks":1,
                 "warmupIterations":2,"warmupTime":"1 s","measurementIterations":3,"measurementTime":"1 s",
                 "params":{%s},"primaryMetric":{"score":%f,"scoreError":"NaN","scoreUnit":"ops/s"}}""",
                benchmark, params, score);
    }

    String summarize(List<String> results) throws IOException, InterruptedException {
        Files.writeString(run.resolve("jmh.json"), "[" + String.join(",", results) + "]");
        Files.writeString(run.resolve("run.json"), """
                {"profile":"short","loadAverageAtStart":"3.50 1.00 0.50 1/100 1","cpu":{"cores":2}}""");
        Path script = Path.of("").toAbsolutePath().getParent().resolve("scripts/bench_summary.py");
        Process p = new ProcessBuilder("python3", script.toString(), run.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return Files.readString(run.resolve("summary.md"));
    }

    @Test
    void targetsPassOrMissByTheMeasuredRatiosAndTheSummaryWarnsOfABusyMachine() throws Exception {
        String md = summarize(List.of(
                result("MaskingBenchmark.wordAtATime", "\"size\":\"65536\"", 100_000),
                result("MaskingBenchmark.byteLoop", "\"size\":\"65536\"", 10_000),
                result("Utf8ValidatorBenchmark.ours", "\"textBytes\":\"4096\",\"text\":\"ascii\"", 500),
                result("Utf8ValidatorBenchmark.jdkDecoder", "\"textBytes\":\"4096\",\"text\":\"ascii\"", 1000),
                result("Utf8ValidatorBenchmark.ours", "\"textBytes\":\"4096\",\"text\":\"mixed\"", 1200),
                result("Utf8ValidatorBenchmark.jdkDecoder", "\"textBytes\":\"4096\",\"text\":\"mixed\"", 1000),
                result("FrameDecoderBenchmark.streamOfSmallFrames", "\"frameSize\":\"125\"", 9_000_000),
                result("RoomBroadcastBenchmark.encodeOnceShared", "\"members\":\"100\",\"payloadBytes\":\"125\"", 1000)));
        assertThat(md).contains("| unmasking 64 KiB: word-at-a-time ÷ byte loop | 10.00× (6,554 vs 655 MB/s) | ≥ 8× | PASS |")
                .contains("| UTF-8 ascii: ours ÷ JDK CharsetDecoder (heap bytes) | 4096 B: 0.50× | ≥ 1× at every size | MISS |")
                .contains("| UTF-8 mixed: ours ÷ JDK CharsetDecoder (heap bytes) | 4096 B: 1.20× | ≥ 1× at every size | PASS |")
                .contains("| decoding a stream of 125-byte frames (payload) | 1.12 GB/s (9,000,000 frames/s) | ≥ 1 GB/s | PASS |")
                .contains("| encodeOnceShared | 100 | 125 | 1,000 | – | 100,000 |")
                .contains("**Busy machine:** the load average was 3.5 on 2 cores");
    }

    @Test
    void aTargetWithoutItsBenchmarkSaysNotMeasuredAndAMissingResultSaysJmhDidNotFinish() throws Exception {
        String md = summarize(List.of(result("HandshakeBenchmark.acceptKey", "", 2_000_000)));
        assertThat(md).contains("not measured (needs size=65536)").contains("not measured (needs frameSize=125)")
                .contains("| acceptKey | 2,000,000 | – | 0.5 |");
        Files.delete(run.resolve("jmh.json"));
        Path script = Path.of("").toAbsolutePath().getParent().resolve("scripts/bench_summary.py");
        Process p = new ProcessBuilder("python3", script.toString(), run.toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(run.resolve("summary.md"))).contains("No `jmh.json`: JMH did not finish");
    }
}
