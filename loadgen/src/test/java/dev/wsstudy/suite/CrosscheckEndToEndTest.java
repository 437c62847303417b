package dev.wsstudy.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The real cross-check, tiny: the event-loop server's jar, the real loadgen (from the test
 * classpath) and the real tsung (Debian package; scripts/setup.sh installs it), 10 connections,
 * 1 s warm-up + 2 s measured per measurement, two trials. About 70 s. It proves the run folder is complete and
 * both sides measured something; whether they agree is for a quiet machine, not for a unit test.
 */
class CrosscheckEndToEndTest {
    @TempDir
    Path results;

    @Test
    void tinyCrosscheckMeasuresBothClientsAndFillsTheRunFolder() throws Exception {
        Path root = SuiteFixture.rootWithEventLoopServer();
        assumeTrue(Tsung.version("tsung") != null, "tsung not installed (scripts/setup.sh installs it)");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Crosscheck cc = new Crosscheck(new Crosscheck.Options(root, results,
                Pinning.detect(true, Runtime.getRuntime().availableProcessors()), SuiteFixture.loadgen(), "tsung", "eventloop", List.of(), List.of("--work-cpu-us=50"), 10,
                64, 1, 2, 1000, "test", new PrintStream(out, true), WireCapture.version("tcpdump") == null ? null : "tcpdump", 2,
                CrosscheckMain.BUSY_WAIT));
        CrosscheckReport report = cc.run();

        Path d = cc.dir();
        assertThat(d.getFileName().toString()).matches("\\d{8}T\\d{6}Z-crosscheck");
        for (String f : List.of("run.json", "crosscheck.md", "crosscheck.json", "server.log")) {
            assertThat(d.resolve(f)).as(f).isRegularFile();
        }
        assertThat(report.trials()).isEqualTo(2);
        for (String trial : List.of("trial-1/", "trial-2/")) { // each trial measured both parts with both tools
            for (String f : List.of("closed/loadgen/summary.json", "closed/loadgen/loadgen-console.log",
                    "paced/loadgen/summary.json", "closed/tsung/tsung.xml", "closed/tsung/tsung-console.log",
                    "closed/tsung/cpu.csv", "paced/tsung/tsung.xml", "server-closed.log")) {
                assertThat(d.resolve(trial + f)).as(trial + f).isRegularFile();
            }
            for (String part : List.of("closed", "paced")) {
                try (Stream<Path> logs = Files.list(d.resolve(trial + part + "/tsung/log"))) {
                    Path log = logs.findFirst().orElseThrow();
                    assertThat(log.resolve("tsung.log")).isRegularFile();
                    assertThat(log.resolve("tsung-fullstats.log")).isRegularFile();
                }
            }
        }
        for (CrosscheckReport.Part p : Stream.concat(report.closed.stream(), report.paced.stream()).toList()) {
            assertThat(p.loadgen().count()).as(p.name() + " loadgen samples " + out).isPositive();
            assertThat(p.independent().count()).as(p.name() + " tsung samples " + p.independent().flags()).isPositive();
            assertThat(p.independent().p50Us()).isPositive();
        }
        assertThat(report.criteria()).allSatisfy(c -> assertThat(c.ratios()).hasSize(2));
        JsonNode run = RunFolder.JSON.readTree(d.resolve("run.json").toFile());
        assertThat(run.at("/crosscheck/independentTool").asText()).startsWith("Tsung version");
        assertThat(run.at("/machineJitter/perCpu")).isNotEmpty();
        assertThat(run.at("/crosscheck/pacedLoadgenRates")).hasSize(2);
        assertThat(run.at("/suiteDefinition/name").asText()).isEqualTo("crosscheck");
        assertThat(run.at("/git/commit").asText()).isNotEmpty();
        assertThat(run.at("/endedAt").isNull()).isFalse();
        assertThat(Files.readString(d.resolve("crosscheck.md"))).contains("| closed loop: throughput (msgs/s) |")
                .contains("| moderate constant rate: p99 (µs) |").contains("at start: load average")
                .contains("ratio per trial").contains("Machine jitter before the run").contains("Erlang emulator flags: " + CrosscheckMain.BUSY_WAIT);
        assertThat(Files.readString(d.resolve("server.log"))).contains("[wsstudy-suite] stopped: exited");
        // The closed loop had a server of its own in each trial, with its own options (simulated work per message).
        assertThat(Files.readString(d.resolve("trial-2/server-closed.log"))).contains("[wsstudy-suite] stopped: exited");
        assertThat(run.at("/suiteDefinition/scenarios/0/serverArgs/0").asText()).isEqualTo("--work-cpu-us=50");
        assertThat(run.at("/suiteDefinition/scenarios/1/serverArgs")).isEmpty();
        if (WireCapture.version("tcpdump") != null) { // the third observer saw the paced part of both tools
            for (CrosscheckReport.Part p : report.paced) {
                assertThat(p.loadgen().wire().stats()).as("loadgen wire " + p.loadgen().wire()).isNotNull();
                assertThat(p.loadgen().wire().stats().pairs()).isPositive();
                assertThat(p.independent().wire().stats().pairs()).isPositive();
            }
            assertThat(Files.readString(d.resolve("crosscheck.md"))).contains("What the server's socket saw");
            assertThat(d.resolve("trial-1/paced/tsung/wire.pcap")).doesNotExist();
        }
    }

    @Test
    void aBadCommandLineExitsTwoBeforeStartingAnything() {
        assertThat(new CommandLine(new CrosscheckMain()).execute("nonsense")).isEqualTo(2);
        assertThat(new CommandLine(new CrosscheckMain()).execute("eventloop", "--payload-bytes", "8")).isEqualTo(2);
        assertThat(new CommandLine(new CrosscheckMain()).execute("eventloop", "--tsung", "no-such-tsung-here"))
                .isEqualTo(2);
    }
}
