package dev.wsstudy.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loadgen side of a trial with stand-in processes (sh scripts): only what the real loadgen
 * cannot be made to do on purpose (crash, hang, write a chosen summary) is faked here; the real
 * one runs in SuiteEndToEndTest.
 */
class LoadgenInvokerTest {
    @TempDir
    Path run;
    Plan.Cell cell;
    static final LoadgenInvoker.Target SERVER = new LoadgenInvoker.Target("ws://127.0.0.1:1234/echo", "eventloop",
            4321L, "http://127.0.0.1:1234/stats");
    static final String REL = "echo-rate/eventloop/rate=500/trial-1";

    @BeforeEach
    void cell() throws Exception {
        Suite s = SuiteLoader.parse("""
                {"name":"t","warmupS":1,"durationS":2,"scenarios":[{"scenario":"echo-rate","params":{"rate":[500]}}]}""",
                "t");
        cell = Plan.cells(s.scenarios().get(0)).get(0);
        Files.createDirectories(run.resolve(REL));
    }

    static LoadgenInvoker sh(String script) {
        return new LoadgenInvoker(List.of("sh", "-c", script, "fake-loadgen"));
    }

    @Test
    void commandFollowsTheResultFormatContract() {
        List<String> cmd = sh("true").command(cell, SERVER, REL);
        assertThat(String.join(" ", cmd)).endsWith("run --scenario echo-rate --url ws://127.0.0.1:1234/echo --rate 500"
                + " --warmup-s 1 --duration-s 2 --out " + REL + " --server-kind eventloop --server-pid 4321"
                + " --stats-url http://127.0.0.1:1234/stats");
        List<String> external = sh("true").command(cell,
                new LoadgenInvoker.Target("ws://127.0.0.1:9/", "external", null, null), REL);
        assertThat(external).doesNotContain("--server-pid", "--stats-url");
    }

    @Test
    void summaryWrittenByTheLoadgenBecomesTheTrial() throws Exception {
        Path fixture = run.resolve("fixture.json");
        Files.writeString(fixture, Summaries.echo("echo-rate", 500.0, 499, 80, 300, "ok").toString());
        TrialResult r = sh("while [ $# -gt 0 ]; do [ \"$1\" = --out ] && out=$2; shift; done; cp '" + fixture
                + "' \"$out/summary.json\"").run(cell, SERVER, "eventloop", 1, run, REL, Duration.ofSeconds(20));
        assertThat(r.status()).isEqualTo("ok");
        assertThat(r.value(Metric.P99)).isEqualTo(300);
        assertThat(r.dir()).isEqualTo(REL);
        assertThat(run.resolve(REL).resolve("summary.json")).exists();
    }

    @Test
    void crashedLoadgenIsAFailedTrialWithExitCodeAndLastLine() {
        TrialResult r = sh("echo 'Exception: boom' >&2; exit 3").run(cell, SERVER, "eventloop", 1, run, REL,
                Duration.ofSeconds(20));
        assertThat(r.failed()).isTrue();
        assertThat(r.failureReason()).isEqualTo("loadgen exited with code 3 without writing summary.json: Exception: boom");
        assertThat(run.resolve(REL).resolve(LoadgenInvoker.CONSOLE_LOG)).content().contains("boom");
    }

    @Test
    void okSummaryFromAFailingProcessIsNotTrusted() throws Exception {
        Path fixture = run.resolve("fixture.json");
        Files.writeString(fixture, Summaries.echo("echo-rate", 500.0, 499, 80, 300, "ok").toString());
        TrialResult r = sh("while [ $# -gt 0 ]; do [ \"$1\" = --out ] && out=$2; shift; done; cp '" + fixture
                + "' \"$out/summary.json\"; exit 1").run(cell, SERVER, "eventloop", 1, run, REL, Duration.ofSeconds(20));
        assertThat(r.failed()).isTrue();
        assertThat(r.failureReason()).startsWith("loadgen exited with code 1");
    }

    @Test
    void hungLoadgenIsStoppedAtTheTimeoutAndRecorded() {
        long t0 = System.nanoTime();
        TrialResult r = sh("sleep 30").run(cell, SERVER, "eventloop", 1, run, REL, Duration.ofSeconds(1));
        assertThat(r.failed()).isTrue();
        assertThat(r.failureReason()).startsWith("timeout: loadgen still running after 1 s");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
    }
}
