package dev.wsstudy.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One cross-check run (docs/crosscheck.md): one server (pinned like the suite's), then
 * (a) closed-loop echo, loadgen then tsung, and (b) a paced echo, tsung then the loadgen at the
 * rate tsung reached; everything into {@code results/<UTC>-crosscheck/} with run.json (the suite's
 * {@link RunInfo}), both tools' raw output and crosscheck.md with the verdict.
 */
final class Crosscheck {
    record Options(Path root, Path resultsDir, Pinning pinning, List<String> loadgenLauncher, String tsung,
                   String kind, List<String> serverArgs, List<String> closedServerArgs, int connections, int payloadBytes, int warmupS,
                   int durationS, double rate, String commandLine, PrintStream out, String tcpdump, int trials,
                   String tsungErlFlags) {}

    /** Tsung runs this much longer than warm-up + duration: its start-up delay, the ramp, a partial last interval. */
    static final int TSUNG_SLACK_S = 4;

    private final Options o;
    private RunFolder folder;
    private int serverPort;
    private String wireProblem = "tcpdump did not start";
    /** The rate the loadgen was given in each trial's paced part (the rate tsung reached). */
    private final List<Double> pacedRates = new ArrayList<>();

    Crosscheck(Options o) {
        this.o = o;
    }

    Path dir() {
        return folder.dir;
    }

    CrosscheckReport run() throws Exception {
        Instant started = Instant.now();
        folder = RunFolder.create(o.resultsDir(), "crosscheck", started);
        String tsungVersion = Tsung.version(o.tsung());
        Suite suite = suite(o.rate());
        ObjectNode run = RunInfo.collect(RunFolder.JSON, o.root(), suite, o.pinning(), o.commandLine(), started);
        ObjectNode cc = run.putObject("crosscheck");
        cc.put("independentTool", tsungVersion);
        cc.put("throughputTolerance", CrosscheckReport.THROUGHPUT_TOLERANCE);
        cc.put("latencyTolerance", CrosscheckReport.LATENCY_TOLERANCE);
        folder.writeRunJson(run);
        boolean epmdBefore = Tsung.epmdRunning();
        List<String> conditions = new ArrayList<>();
        conditions.add("server " + o.kind() + ", " + o.pinning().description() + "; tsung runs with the loadgen's"
                + " pinning; server JVM flags: " + String.join(" ", suite.serverJvmFlags())
                + (o.serverArgs().isEmpty() ? "" : "; server options: " + String.join(" ", o.serverArgs()))
                + (o.closedServerArgs().isEmpty() ? "" : "; closed loop only, on a server of its own (server-closed.log): "
                        + String.join(" ", o.closedServerArgs())));
        conditions.add("at start: " + machineLoad());
        // The machine's own stalls, measured before anything of ours runs: the floor under both tools' p99.
        say("machine jitter baseline (" + JitterBaseline.DEFAULT_SECONDS + " s)");
        run.set("machineJitter", JitterBaseline.measure(o.pinning(), JitterBaseline.DEFAULT_SECONDS));
        folder.writeRunJson(run);
        String jitter = JitterBaseline.describe(run.get("machineJitter"));
        if (jitter != null) conditions.add(jitter);
        List<CrosscheckReport.Part> closed = new ArrayList<>(), paced = new ArrayList<>();
        ServerProcess server = startServer(suite, o.serverArgs(), "server.log");
        serverPort = server.port;
        try {
            for (int t = 1; t <= o.trials(); t++) {
                String trial = o.trials() == 1 ? "" : "trial-" + t + "/";
                if (o.trials() > 1) say("trial " + t + " of " + o.trials());
                closed.add(closedPart(suite, server, trial));
                paced.add(pacedPart(server, trial));
            }
        } finally {
            server.stop();
            if (!epmdBefore) {
                Tsung.stopEpmdIfIdle();
            }
        }
        suite = suite(pacedRates.isEmpty() ? o.rate() : pacedRates.get(pacedRates.size() - 1));
        conditions.add("at end: " + machineLoad());
        if (o.tcpdump() != null) {
            conditions.add("wire observer: " + WireCapture.version(o.tcpdump()) + " on lo, filter '"
                    + WireCapture.filter(serverPort) + "', snap length " + WireCapture.SNAPLEN
                    + " bytes, nanosecond kernel timestamps; the pcap files are deleted after reading (tens of MB)");
        }
        conditions.add("independent client: " + tsungVersion + " (Debian package tsung, ts_websocket plugin, latency"
                + " from just before the send to the whole echo frame; fullstats samples, exact percentiles); Erlang"
                + " emulator flags: " + (o.tsungErlFlags().isBlank() ? "none" : o.tsungErlFlags()));
        CrosscheckReport report = new CrosscheckReport(closed, paced, conditions);
        Files.writeString(folder.dir.resolve("crosscheck.md"), report.markdown(folder.dir.getFileName().toString()));
        RunFolder.JSON.writeValue(folder.dir.resolve("crosscheck.json").toFile(), report.toJson(RunFolder.JSON));
        run.set("suiteDefinition", RunFolder.JSON.valueToTree(suite));
        RunInfo.finish(run, Instant.now(), 4 * o.trials(), 0, 0, 0);
        ((ObjectNode) run.get("crosscheck")).put("allPass", report.allPass());
        ((ObjectNode) run.get("crosscheck")).set("pacedLoadgenRates", RunFolder.JSON.valueToTree(pacedRates));
        folder.writeRunJson(run);
        return report;
    }

    /**
     * (a) One closed-loop trial, loadgen then tsung, on a server of its own when the closed loop has
     * options of its own (e.g. simulated work, so that the server, not a client, is its bottleneck).
     */
    private CrosscheckReport.Part closedPart(Suite suite, ServerProcess shared, String trial) throws Exception {
        ServerProcess server = o.closedServerArgs().isEmpty() ? shared
                : startServer(suite, closedServerArgs(), trial + "server-closed.log");
        try {
            say("closed loop, loadgen");
            CrosscheckReport.Side lg = loadgen(server, suite, "echo-closed", trial + "closed/loadgen", null);
            say("closed loop, tsung");
            CrosscheckReport.Side ts = tsung(server, trial + "closed/tsung", null, "closed", null);
            return new CrosscheckReport.Part("closed loop", o.connections() + " connections, one " + o.payloadBytes()
                    + "-byte binary message in flight each, " + o.warmupS() + " s warm-up + " + o.durationS()
                    + " s measured" + (o.closedServerArgs().isEmpty() ? "" : "; server options "
                    + String.join(" ", closedServerArgs())), lg, ts);
        } finally {
            if (server != shared) server.stop();
        }
    }

    /** (b) One paced trial: tsung with a think time, then the loadgen's open loop at the rate tsung reached. */
    private CrosscheckReport.Part pacedPart(ServerProcess server, String trial) throws Exception {
        int thinkMs = (int) Math.max(1, Math.round(o.connections() * 1000.0 / o.rate()));
        say("paced, tsung (think time " + thinkMs + " ms per connection)");
        WireCapture tsWire = capture(trial + "paced/tsung");
        CrosscheckReport.Side ts;
        try {
            ts = tsung(server, trial + "paced/tsung", thinkMs, "paced", tsWire);
        } finally {
            discard(tsWire);
        }
        double rate = Double.isFinite(ts.rate()) && ts.rate() > 0 ? Math.round(ts.rate()) : o.rate();
        if (ts.rate() < 0.9 * o.rate()) {
            ts.flags().add("reached " + CrosscheckReport.num(ts.rate()) + " msgs/s of the nominal "
                    + CrosscheckReport.num(o.rate()) + " (think time + latency + timer lateness)");
        }
        pacedRates.add(rate);
        say("paced, loadgen at " + CrosscheckReport.num(rate) + " msgs/s");
        WireCapture lgWire = capture(trial + "paced/loadgen");
        CrosscheckReport.Side lg;
        try {
            lg = loadgen(server, suite(rate), "echo-rate", trial + "paced/loadgen", lgWire);
        } finally {
            discard(lgWire);
        }
        return new CrosscheckReport.Part("moderate constant rate", "tsung: " + o.connections() + " connections,"
                + " each sends the next " + o.payloadBytes() + "-byte message " + thinkMs + " ms after the last echo"
                + " (nominal " + CrosscheckReport.num(o.rate()) + " msgs/s); loadgen: echo-rate at the rate tsung"
                + " reached in the same trial, open loop, same connections; loadgen"
                + " latency = corrected, from the intended send time (so its own lateness counts; tsung times from"
                + " its actual send)", lg, ts);
    }

    /** The closed loop's server options: the shared ones, then its own. */
    List<String> closedServerArgs() {
        List<String> all = new ArrayList<>(o.serverArgs());
        all.addAll(o.closedServerArgs());
        return all;
    }

    private ServerProcess startServer(Suite suite, List<String> args, String log) throws Exception {
        Files.createDirectories(folder.dir.resolve(log).getParent());
        ServerProcess s = ServerProcess.start(o.pinning().serverPrefix(), javaExe(), suite.serverJvmFlags(),
                RepoRoot.moduleJar(o.root(), Suite.moduleOf(o.kind())), args, folder.dir.resolve(log));
        try {
            Verifier.echo(s.wsBase() + "/echo");
        } catch (Verifier.VerifyFailure | RuntimeException e) {
            s.stop();
            throw e;
        }
        return s;
    }

    /** The two workloads as a suite (validated by the suite's own loader; stored in run.json). */
    Suite suite(double rate) {
        List<String> serverFlags = SuiteLoader.DEFAULT_SERVER_JVM_FLAGS, loadgenFlags = SuiteLoader.DEFAULT_LOADGEN_JVM_FLAGS;
        try { // the quick suite's flags, so the server runs as it does in the README's main command
            Suite quick = SuiteLoader.load(SuiteLoader.resolve(o.root(), "quick"));
            serverFlags = quick.serverJvmFlags();
            loadgenFlags = quick.loadgenJvmFlags();
        } catch (IOException | RuntimeException e) {
            // no quick suite in this checkout: the loader's defaults
        }
        ObjectNode s = RunFolder.JSON.createObjectNode();
        s.put("name", "crosscheck");
        s.put("description", "loadgen vs tsung on one server: closed-loop echo and a moderate paced echo");
        s.put("warmupS", o.warmupS());
        s.put("durationS", o.durationS());
        s.putArray("servers").add(o.kind());
        ArrayNode serverArgs = RunFolder.JSON.valueToTree(o.serverArgs());
        s.set("serverJvmFlags", RunFolder.JSON.valueToTree(serverFlags));
        s.set("loadgenJvmFlags", RunFolder.JSON.valueToTree(loadgenFlags));
        ObjectNode closed = s.putArray("scenarios").addObject();
        closed.put("scenario", "echo-closed");
        closed.set("serverArgs", RunFolder.JSON.valueToTree(closedServerArgs()));
        closed.putObject("params").put("connections", o.connections()).put("payload-bytes", o.payloadBytes());
        ObjectNode paced = ((ArrayNode) s.get("scenarios")).addObject();
        paced.put("scenario", "echo-rate");
        paced.set("serverArgs", serverArgs.deepCopy());
        paced.putObject("params").put("connections", o.connections()).put("payload-bytes", o.payloadBytes())
                .put("rate", rate);
        return SuiteLoader.parse(s.toString(), "crosscheck");
    }

    private CrosscheckReport.Side loadgen(ServerProcess server, Suite suite, String type, String rel, WireCapture capture)
            throws IOException {
        Suite.Scenario sc = suite.scenarios().stream().filter(x -> x.type().equals(type)).findFirst().orElseThrow();
        Plan.Cell cell = Plan.of(suite).runs().stream().flatMap(r -> r.cells().stream())
                .filter(c -> c.scenario().equals(sc)).findFirst().orElseThrow();
        Path dir = Files.createDirectories(folder.dir.resolve(rel));
        List<String> launcher = new ArrayList<>(o.pinning().loadgenPrefix());
        launcher.addAll(o.loadgenLauncher());
        TrialResult r;
        List<ProcSampler.Sample> samples;
        try (ProcSampler sampler = new ProcSampler("--out " + rel, server.pid())) {
            r = new LoadgenInvoker(launcher).run(cell, new LoadgenInvoker.Target(server.wsBase() + "/echo", o.kind(),
                    server.pid(), server.httpBase() + "/stats"), o.kind(), 1, folder.dir, rel,
                    Duration.ofSeconds(o.warmupS() + o.durationS() + 60L));
            sampler.close();
            sampler.writeCsv(dir.resolve("cpu.csv"));
            samples = sampler.samples();
        }
        List<String> flags = new ArrayList<>();
        if (!TrialResult.OK.equals(r.status())) {
            flags.add("status " + r.status() + (r.failureReason() == null || r.failureReason().isEmpty() ? ""
                    : ": " + r.failureReason()));
        }
        if (r.failed()) {
            return unmeasured("loadgen", 100, flags);
        }
        JsonNode s = RunFolder.JSON.readTree(dir.resolve("summary.json").toFile());
        JsonNode lat = s.at("/latency/corrected");
        double budget = 100.0 * s.at("/params/workers").asInt(1) * s.at("/params/io-threads").asInt(1);
        long start = hlogStartMs(dir.resolve("latency-corrected.hlog")) + o.warmupS() * 1000L;
        ProcSampler.Window w = ProcSampler.window(samples, start, start + o.durationS() * 1000L);
        return new CrosscheckReport.Side("loadgen", d(s.get("achievedRate")), d(lat.get("p50")), d(lat.get("p90")),
                d(lat.get("p99")), d(lat.get("max")), lat.path("count").asLong(), s.path("errors").asLong(),
                d(s.at("/loadgen/cpuPct")), budget, w.pct(w.clientHeldS()), d(s.at("/loadgen/cpuUsPerMessage")),
                d(s.at("/server/cpuUsPerMessage")), w.pct(w.serverHeldS()), flags,
                d(s.at("/latency/uncorrected/p50")), wire(capture, server.port, start * 1_000_000L));
    }

    private CrosscheckReport.Side tsung(ServerProcess server, String rel, Integer thinkMs, String label,
                                        WireCapture capture) throws IOException {
        Path dir = folder.dir.resolve(rel);
        int loadS = o.warmupS() + o.durationS() + TSUNG_SLACK_S;
        String id = "wsstudy" + ProcessHandle.current().pid() + label;
        Tsung.Result res;
        List<ProcSampler.Sample> samples;
        try (ProcSampler sampler = new ProcSampler("tsung_controller_" + id, server.pid())) {
            res = Tsung.run(o.pinning().loadgenPrefix(), o.tsung(), dir, new Tsung.Workload(server.port, "/echo",
                    o.connections(), o.payloadBytes(), thinkMs, loadS), id, o.tsungErlFlags());
            sampler.close();
            sampler.writeCsv(dir.resolve("cpu.csv"));
            samples = sampler.samples();
        }
        List<String> flags = new ArrayList<>();
        if (res.timedOut() || res.exitCode() != 0) {
            flags.add(res.timedOut() ? "timed out" : "tsung exited with code " + res.exitCode());
        }
        double budget = o.pinning().enabled() ? 100 : 100.0 * Runtime.getRuntime().availableProcessors();
        try {
            if (res.logDir() == null) {
                throw new IllegalStateException("tsung wrote no log folder (see tsung-console.log)");
            }
            TsungLog log = TsungLog.parse(Files.readString(res.logDir().resolve("tsung.log")));
            double[] all = TsungLog.requestSamplesMs(Files.readString(res.logDir().resolve("tsung-fullstats.log")));
            TsungLog.Window t = log.window(all, o.warmupS(), o.durationS(), 1.0);
            overloadWarning(res.logDir()).ifPresent(flags::add);
            // tsung's dump times are whole seconds: take the middle of each second as the edge
            ProcSampler.Window w = ProcSampler.window(samples, t.startEpochS() * 1000 + 500, t.endEpochS() * 1000 + 500);
            double msgs = t.throughput() * w.wallS();
            return new CrosscheckReport.Side("tsung", t.throughput(), t.p50Us(), t.p90Us(), t.p99Us(), t.maxUs(),
                    t.count(), t.errors(), w.pct(w.clientCpuS()), budget, w.pct(w.clientHeldS()),
                    w.clientCpuS() * 1e6 / msgs, w.serverCpuS() * 1e6 / msgs, w.pct(w.serverHeldS()), flags,
                    t.p50Us(), wire(capture, server.port, (t.startEpochS() * 1000 + 500) * 1_000_000L));
        } catch (IOException | RuntimeException e) {
            flags.add("not measured: " + e.getMessage());
            return unmeasured("tsung", budget, flags);
        }
    }

    /** A tcpdump capture for the measurement in {@code rel}, or null (and a note) when it cannot run. */
    private WireCapture capture(String rel) {
        if (o.tcpdump() == null) {
            return null;
        }
        try {
            Path dir = Files.createDirectories(folder.dir.resolve(rel));
            return WireCapture.start(o.tcpdump(), serverPort, dir.resolve("wire.pcap"));
        } catch (IOException e) {
            wireProblem = e.getMessage();
            say("no wire capture: " + e.getMessage());
            return null;
        }
    }

    /**
     * Stops {@code capture} and reads it for the measured period that starts at {@code fromNs}; the
     * pcap itself is deleted (tens of MB per run), its numbers and tcpdump's log stay.
     */
    private CrosscheckReport.Wire wire(WireCapture capture, int port, long fromNs) {
        if (capture == null) {
            return o.tcpdump() == null ? null : new CrosscheckReport.Wire(null, -1, "not captured: " + wireProblem);
        }
        try {
            capture.close();
            WireLatency.Stats st = WireLatency.analyse(capture.pcap(), port, o.payloadBytes(), fromNs,
                    fromNs + o.durationS() * 1_000_000_000L);
            return new CrosscheckReport.Wire(st, capture.droppedByKernel(), st.unanswered() > 0
                    ? st.unanswered() + " requests without an answer in the capture" : null);
        } catch (IOException | RuntimeException e) {
            return new CrosscheckReport.Wire(null, capture.droppedByKernel(), "not measured: " + e.getMessage());
        } finally {
            try {
                Files.deleteIfExists(capture.pcap());
            } catch (IOException e) {
                say("could not delete " + capture.pcap() + ": " + e.getMessage());
            }
        }
    }

    /** Stops {@code capture} if it still runs and deletes its pcap (after {@link #wire} or a failed measurement). */
    private void discard(WireCapture capture) throws IOException {
        if (capture != null) {
            capture.close();
            Files.deleteIfExists(capture.pcap());
        }
    }

    private static CrosscheckReport.Side unmeasured(String tool, double budget, List<String> flags) {
        return new CrosscheckReport.Side(tool, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0,
                Double.NaN, budget, Double.NaN, Double.NaN, Double.NaN, Double.NaN, flags, Double.NaN, null);
    }

    /** The loadgen's common start instant, from its interval log's {@code #[StartTime: S.mmm ...]} line. */
    static long hlogStartMs(Path hlog) throws IOException {
        for (String line : Files.readAllLines(hlog)) {
            if (line.startsWith("#[StartTime: ")) {
                String v = line.substring("#[StartTime: ".length()).split(" ")[0];
                return Math.round(Double.parseDouble(v) * 1000);
            }
        }
        throw new IOException(hlog.getFileName() + " has no StartTime line");
    }

    /** Tsung's own word that it could not start its users in time. */
    private static java.util.Optional<String> overloadWarning(Path logDir) throws IOException {
        try (var files = Files.list(logDir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("tsung_controller")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    if (line.contains("tsung may be overloaded")) {
                        return java.util.Optional.of("its controller log says: " + line.strip());
                    }
                }
            }
        }
        return java.util.Optional.empty();
    }

    private static double d(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? Double.NaN : n.asDouble();
    }

    private static Path javaExe() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** Load average and CPU pressure (PSI "some": share of time some task waited for a CPU), to judge how busy the machine was. */
    static String machineLoad() {
        String load = read(Path.of("/proc/loadavg"));
        String psi = read(Path.of("/proc/pressure/cpu"));
        return "load average " + (load == null ? "unknown" : load) + " (" + Runtime.getRuntime().availableProcessors()
                + " CPUs)" + (psi == null ? "" : "; CPU pressure " + psi.lines().findFirst().orElse(""));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p).strip();
        } catch (IOException e) {
            return null;
        }
    }

    private void say(String what) {
        o.out().println("crosscheck: " + what);
    }
}
