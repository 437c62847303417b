package dev.wsstudy.suite;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Runs a {@link Plan}: for each server run, start the server (pinned), verify it, run every
 * trial of its cells through the loadgen, stop it; then write the run folder's summaries and print
 * the side-by-side tables. Nothing one cell does stops the suite: a server that will not start or
 * verify, a loadgen that crashes or hangs, a server that dies mid-trial, each becomes failed trials
 * with a reason, and the next server run starts clean.
 */
final class SuiteRunner {
    /** A server that died is restarted for the following trials at most this often per server run. */
    static final int MAX_RESTARTS = 2;

    record Options(Path root, Path resultsDir, Pinning pinning, List<String> loadgenLauncher, String commandLine,
                   PrintStream out, PrintStream err) {}

    private final Options o;
    private final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    private final List<TrialResult> results = new ArrayList<>();
    private LoadgenInvoker loadgen;
    private PeerBuild peerBuild;
    private Suite suite;
    private RunFolder folder;
    private Progress progress;

    SuiteRunner(Options options) {
        this.o = options;
    }

    RunFolder run(Plan plan) throws IOException {
        suite = plan.suite();
        Instant started = Instant.now();
        folder = RunFolder.create(o.resultsDir(), suite.name(), started);
        ObjectNode run = RunInfo.collect(RunFolder.JSON, o.root(), suite, o.pinning(), o.commandLine(), started);
        folder.writeRunJson(run);
        List<String> launcher = new ArrayList<>(o.pinning().loadgenPrefix());
        launcher.addAll(o.loadgenLauncher());
        loadgen = new LoadgenInvoker(launcher);
        peerBuild = new PeerBuild(o.root());
        o.err().print(plan.describe());
        o.err().println("  " + o.pinning().description());
        o.err().println("  writing " + display(folder.dir));
        progress = new Progress(o.err(), plan.estimateSeconds(), plan.trialCount(), System::nanoTime);
        progress.say("machine jitter: " + suite.machineJitterS() + " s of 1 ms sleeps on each CPU used");
        run.set("machineJitter", JitterBaseline.measure(o.pinning(), suite.machineJitterS()));
        folder.writeRunJson(run);
        progress.advance(plan.jitterSeconds(), 0);
        progress.say(JitterBaseline.describe(run.get("machineJitter")));
        for (Plan.ServerRun r : plan.runs()) {
            serverRun(r);
            // Kept current as the run goes, so a run stopped halfway still has its table of trials.
            Files.writeString(folder.dir.resolve("summary.csv"), RunFolder.summaryCsv(suite.name(), results));
        }
        Report report = folder.writeSummaries(suite, results, run, Instant.now());
        o.out().println();
        o.out().print(report.console());
        long failed = results.stream().filter(TrialResult::failed).count();
        o.out().printf("Suite %s finished in %s: %d trials, %d failed. Results: %s (report.md, summary.csv, headline.json)%n",
                suite.name(), Plan.clock(progress.elapsedS()), results.size(), failed, display(folder.dir));
        return folder;
    }

    List<TrialResult> results() {
        return List.copyOf(results);
    }

    private void serverRun(Plan.ServerRun r) throws IOException {
        Suite.Scenario sc = r.scenario();
        Path serverDir = folder.dir.resolve(sc.name()).resolve(r.target());
        if (sc.restart() == Suite.Restart.cell && !r.external()) {
            serverDir = serverDir.resolve(r.cells().get(0).label());
        }
        Path log = serverDir.resolve("server.log");
        String what = r.target() + " · " + sc.name() + (r.cells().size() == 1 ? " " + r.cells().get(0).label() : "");
        ServerProcess server = null;
        String setupFailure = null;
        try {
            if (r.external()) {
                Verifier.echo(r.externalUrl());
            } else {
                server = startVerified(r, log);
            }
            progress.say(what + ": " + (r.external() ? "external target verified" : (r.isPeer() ? "peer" : "server")
                    + " up on port " + server.port + " (pid " + server.pid() + "), verified"));
        } catch (ServerProcess.StartFailure | Verifier.VerifyFailure e) {
            setupFailure = e.getMessage();
            progress.say(what + ": FAILED: " + setupFailure);
        }
        progress.advance(r.external() ? Plan.EXTERNAL_OVERHEAD_S : Plan.SERVER_OVERHEAD_S, 0);
        int restarts = 0;
        for (Plan.Cell cell : r.cells()) {
            for (int t = 1; t <= r.trials(); t++) {
                String rel = folder.relative(folder.trialDir(sc.name(), r.target(), cell.label(), t));
                if (setupFailure == null && server != null && !server.alive()) {
                    String died = server.exitDescription();
                    server = null;
                    if (restarts++ < MAX_RESTARTS) {
                        try {
                            server = startVerified(r, log);
                            progress.say(what + ": " + died + "; restarted on port " + server.port);
                        } catch (ServerProcess.StartFailure | Verifier.VerifyFailure e) {
                            setupFailure = died + ", and the restart failed: " + e.getMessage();
                        }
                    } else {
                        setupFailure = died + " again; not restarted more than " + MAX_RESTARTS + " times";
                    }
                }
                TrialResult result;
                try {
                    result = setupFailure != null
                            ? recordFailure(r, cell, t, rel, setupFailure)
                            : trial(r, cell, t, rel, server, log);
                } catch (IOException | RuntimeException e) {
                    // One trial's surprise (a full disk, an unexpected summary) must not end the suite.
                    result = TrialResult.failed(sc.name(), sc.type(), r.target(), cell.label(), t, rel,
                            "suite error: " + e);
                }
                results.add(result);
                progress.advance(cell.trialSeconds(), 1);
                progress.say(what(r, cell, t) + ": " + brief(result, sc));
            }
        }
        if (server != null) {
            server.stop();
        }
    }

    private ServerProcess startVerified(Plan.ServerRun r, Path log)
            throws ServerProcess.StartFailure, Verifier.VerifyFailure {
        if (r.isPeer()) {
            peerBuild.ensure(r.peer(), log);
            ServerProcess s = ServerProcess.startPeer(o.pinning().serverPrefix(), o.root(), r.peer(),
                    suite.serverJvmFlags(), log);
            try {
                Verifier.echo(s.wsBase() + "/echo"); // a peer serves /echo only (peers/README.md)
            } catch (Verifier.VerifyFailure e) {
                s.note(e.getMessage());
                s.stop();
                throw e;
            }
            return s;
        }
        Path jar = RepoRoot.moduleJar(o.root(), Suite.moduleOf(r.target()));
        int nodes = r.scenario().clusterNodes();
        ServerProcess s = nodes > 0
                ? ServerProcess.startCluster(o.pinning().serverPrefix(), java, suite.serverJvmFlags(), jar,
                        r.scenario().serverArgs(), log, nodes)
                : ServerProcess.start(o.pinning().serverPrefix(), java, suite.serverJvmFlags(), jar,
                        r.scenario().serverArgs(), log);
        try {
            for (String base : s.wsBases()) {
                Verifier.echo(base + "/echo");
                Verifier.chatInit(base + "/chat");
            }
        } catch (Verifier.VerifyFailure e) {
            s.note(e.getMessage());
            s.stop();
            throw e;
        }
        return s;
    }

    private TrialResult trial(Plan.ServerRun r, Plan.Cell cell, int t, String rel, ServerProcess server, Path log)
            throws IOException {
        progress.say(what(r, cell, t) + ": measuring (" + cell.scenario().warmupS() + " s warm-up + "
                + cell.scenario().durationS() + " s)");
        LoadgenInvoker.Target target = r.external()
                ? new LoadgenInvoker.Target(r.externalUrl(), "external", null, null)
                : new LoadgenInvoker.Target(server.wsUrls(cell.scenario().path()), r.target(), server.pid(),
                        r.isPeer() ? null : server.httpBase() + "/stats", server.pids().subList(1, server.pids().size()));
        long logFrom = log != null && Files.exists(log) ? Files.size(log) : 0;
        Duration timeout = Duration.ofSeconds(cell.scenario().warmupS() + cell.scenario().durationS()
                + suite.cellTimeoutS());
        TrialResult result = loadgen.run(cell, target, r.target(), t, folder.dir, rel, timeout);
        if (server != null) {
            copySlice(log, logFrom, folder.dir.resolve(rel).resolve("server.log"));
            if (!server.alive() && !result.failed()) {
                result = new TrialResult(result.scenario(), result.scenarioType(), result.server(), result.cell(),
                        result.trial(), TrialResult.FAILED, server.exitDescription()
                        + " during the trial", result.dir(), result.values());
            }
        }
        return result;
    }

    private TrialResult recordFailure(Plan.ServerRun r, Plan.Cell cell, int t, String rel, String reason)
            throws IOException {
        Files.writeString(folder.dir.resolve(rel).resolve("failure.txt"), reason + "\n");
        return TrialResult.failed(r.scenario().name(), r.scenario().type(), r.target(), cell.label(), t, rel, reason);
    }

    /** The server's log lines written during one trial, so each trial folder is complete on its own. */
    private static void copySlice(Path log, long from, Path to) throws IOException {
        if (!Files.exists(log)) {
            return;
        }
        byte[] all = Files.readAllBytes(log);
        int start = (int) Math.min(from, all.length);
        Files.write(to, Arrays.copyOfRange(all, start, all.length));
    }

    private static String what(Plan.ServerRun r, Plan.Cell cell, int t) {
        return r.target() + " · " + r.scenario().name() + " " + cell.label() + " trial " + t + "/" + r.trials();
    }

    private static String brief(TrialResult r, Suite.Scenario sc) {
        if (r.failed()) {
            return "FAILED: " + r.failureReason();
        }
        String values = sc.metricList().stream().limit(3)
                .map(m -> m.labelWithUnit() + " " + m.format(r.value(m))).collect(Collectors.joining(", "));
        return (r.bottleneck() ? "LOADGEN-BOTTLENECK (" + r.failureReason() + "): " : "ok: ")
                + (r.starved() ? "SERVER-STARVED (" + r.starvedReason() + "): " : "") + values;
    }

    private String display(Path p) {
        Path abs = p.toAbsolutePath();
        return abs.startsWith(o.root()) ? o.root().relativize(abs).toString() : abs.toString();
    }
}
