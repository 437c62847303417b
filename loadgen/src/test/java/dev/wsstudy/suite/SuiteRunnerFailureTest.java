package dev.wsstudy.suite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsstudy.net.PortReservation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A suite never aborts on one cell: targets that cannot start or do not verify become failed
 * trials with their reason, and the run folder is still complete. Real processes and sockets; the
 * root is a scratch checkout whose server jars are missing or broken on purpose.
 */
class SuiteRunnerFailureTest {
    @TempDir
    Path root;

    /** Reserved for the whole test but never listening: its port refuses connections, and no other process can listen there. */
    @AutoClose
    final Socket reserved = PortReservation.reserveLoopbackPort();

    SuiteRunnerFailureTest() throws IOException {
    }

    @Test
    void unstartableServersAndUnverifiedTargetsAreRecordedAndTheSuiteFinishes() throws Exception {
        Files.createDirectories(root.resolve("threaded-server/target"));
        Files.writeString(root.resolve("threaded-server/target/threaded-server.jar"), "not a jar");
        int closedPort = reserved.getLocalPort();
        Suite suite = SuiteLoader.parse("""
                {"name":"broken","trials":2,"machineJitterS":1,"warmupS":0,"durationS":1,"servers":["eventloop","threaded"],
                 "external":[{"name":"mine","url":"ws://127.0.0.1:%d/echo"}],
                 "scenarios":[{"scenario":"echo-rate","params":{"rate":[100,200]}}]}""".formatted(closedPort), "t");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        SuiteRunner runner = new SuiteRunner(new SuiteRunner.Options(root, root.resolve("results"),
                Pinning.detect(false, 1), List.of("false"), "test", new PrintStream(out, true), new PrintStream(err, true)));
        RunFolder folder = runner.run(Plan.of(suite));

        List<TrialResult> r = runner.results();
        assertThat(r).hasSize(3 * 2 * 2).allMatch(TrialResult::failed);
        assertThat(r).filteredOn(t -> t.server().equals("eventloop")).allSatisfy(t ->
                assertThat(t.failureReason()).isEqualTo("server jar missing: eventloop-server.jar (run ./wsstudy build)"));
        assertThat(r).filteredOn(t -> t.server().equals("threaded")).allSatisfy(t ->
                assertThat(t.failureReason()).startsWith("server exited with code 1 before /health answered"));
        assertThat(r).filteredOn(t -> t.server().equals("mine")).allSatisfy(t ->
                assertThat(t.failureReason()).startsWith("verification failed: ws://127.0.0.1:" + closedPort + "/echo"));

        assertThat(folder.dir.resolve("echo-rate/threaded/rate=200/trial-2/failure.txt")).exists();
        assertThat(folder.dir.resolve("echo-rate/threaded/server.log")).content().contains("[wsstudy-suite] started pid");
        assertThat(Files.readAllLines(folder.dir.resolve("summary.csv"))).hasSize(1 + 12);
        assertThat(folder.dir.resolve("report.md")).content().contains("**FAILED**").contains("failed ✗");
        // Unpinned (as with one CPU): one probe, for the CPUs the server and the loadgen share.
        assertThat(RunFolder.JSON.readTree(folder.dir.resolve("run.json").toFile()).at("/machineJitter/perCpu"))
                .singleElement().satisfies(c -> assertThat(c.path("role").asText()).isEqualTo("server and loadgen (unpinned)"));
        assertThat(err.toString()).contains("[12/12 100%").contains("threaded · echo-rate: FAILED: server exited");
        assertThat(out.toString()).contains("## echo-rate").contains("12 trials, 12 failed");
    }
}
