package dev.wsstudy.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one measurement: the loadgen as a subprocess with the contract's command line
 * (docs/results-format.md), its console captured to loadgen-console.log, and a hard time limit.
 * The outcome is read from the summary.json it writes; anything else (crash, no summary, timeout)
 * becomes a failed trial with the reason.
 */
final class LoadgenInvoker {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String CONSOLE_LOG = "loadgen-console.log";

    /** {@code launcher}: the pinning prefix, java, its flags, {@code -jar loadgen.jar} (or a test's stand-in). */
    private final List<String> launcher;

    LoadgenInvoker(List<String> launcher) {
        this.launcher = List.copyOf(launcher);
    }

    /**
     * Where the measurement goes and what it is about; serverPid and statsUrl are null for external
     * targets. A cluster: {@code url} lists every node (comma-separated), {@code otherPids} the
     * nodes after the first (the loadgen sums all).
     */
    record Target(String url, String serverKind, Long serverPid, String statsUrl, List<Long> otherPids) {
        Target(String url, String serverKind, Long serverPid, String statsUrl) {
            this(url, serverKind, serverPid, statsUrl, List.of());
        }
    }

    /** {@code out} is relative to the run folder, the loadgen's working directory, so no absolute path is recorded. */
    List<String> command(Plan.Cell cell, Target target, String out) {
        Suite.Scenario sc = cell.scenario();
        List<String> cmd = new ArrayList<>(launcher);
        cmd.addAll(List.of("run", "--scenario", sc.type(), "--url", target.url()));
        cmd.addAll(cell.loadgenArgs());
        cmd.addAll(List.of("--warmup-s", Integer.toString(sc.warmupS()), "--duration-s",
                Integer.toString(sc.durationS()), "--out", out, "--server-kind", target.serverKind()));
        if (target.serverPid() != null) {
            StringBuilder pids = new StringBuilder(Long.toString(target.serverPid()));
            target.otherPids().forEach(p -> pids.append(',').append(p));
            cmd.addAll(List.of("--server-pid", pids.toString()));
        }
        if (target.statsUrl() != null) {
            cmd.addAll(List.of("--stats-url", target.statsUrl()));
        }
        return cmd;
    }

    /** Runs the trial; never throws for a failed measurement, only records it. */
    TrialResult run(Plan.Cell cell, Target target, String server, int trial, Path runDir, String relDir,
                    Duration timeout) {
        Path out = runDir.resolve(relDir);
        String scenario = cell.scenario().name();
        String type = cell.scenario().type();
        Path console = out.resolve(CONSOLE_LOG);
        Process p;
        try {
            p = new ProcessBuilder(command(cell, target, relDir)).directory(runDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(console.toFile()).start();
        } catch (IOException e) {
            return TrialResult.failed(scenario, type, server, cell.label(), trial, relDir,
                    "loadgen did not start: " + e.getMessage());
        }
        Processes.track(p);
        String how = Processes.awaitOrTerminate(p, timeout, Duration.ofSeconds(5));
        if (how != null) {
            return TrialResult.failed(scenario, type, server, cell.label(), trial, relDir,
                    "timeout: loadgen still running after " + timeout.toSeconds() + " s (" + how + ")");
        }
        int code = p.exitValue();
        Path summary = out.resolve("summary.json");
        if (!Files.isRegularFile(summary)) {
            return TrialResult.failed(scenario, type, server, cell.label(), trial, relDir,
                    "loadgen exited with code " + code + " without writing summary.json" + lastLine(console));
        }
        JsonNode json;
        try {
            json = JSON.readTree(summary.toFile());
        } catch (IOException e) {
            return TrialResult.failed(scenario, type, server, cell.label(), trial, relDir,
                    "unreadable summary.json: " + e.getMessage());
        }
        TrialResult r = TrialResult.of(scenario, type, server, cell.label(), trial, relDir, json);
        if (code != 0 && TrialResult.OK.equals(r.status())) {
            // A summary that says ok from a process that failed is not trusted as a measurement.
            return new TrialResult(r.scenario(), r.scenarioType(), r.server(), r.cell(), r.trial(), TrialResult.FAILED,
                    "loadgen exited with code " + code + lastLine(console), r.dir(), r.values());
        }
        return r;
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
            return lines.isEmpty() ? "" : ": " + lines.get(lines.size() - 1).strip();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
