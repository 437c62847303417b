package dev.wsstudy.loadgen;

import dev.wsstudy.loadgen.measure.ProcStat;
import dev.wsstudy.loadgen.measure.ServerSampler;
import dev.wsstudy.loadgen.scenario.Scenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code run}: one measurement (or a {@code --rates} sweep of them). Validates the options,
 * starts the worker processes, runs share 0 itself, samples the server, merges and writes the
 * output folder described in docs/results-format.md. Exit code 0 when a summary was written
 * (whatever its status), 2 for invalid options.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run one scenario and write its results (docs/results-format.md).",
                "Example: run --scenario echo-rate --url ws://127.0.0.1:8080/echo --rate 20000 --connections 50"
                        + " --warmup-s 5 --duration-s 20 --out /tmp/r1 --server-pid 1234"})
public final class RunCommand implements Callable<Integer> {
    /** Keeps a per-process connection count clear of the 20,000 open-files cap (the JVM needs some too). */
    static final int MAX_CONNECTIONS_PER_PROCESS = 19_000;

    @Mixin RunOptions o;

    @Override public Integer call() throws Exception {
        String problem = validate(o);
        if (problem != null) {
            System.err.println("loadgen: " + problem);
            return 2;
        }
        if (o.runId == null) o.runId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        if (o.rates == null || o.rates.isEmpty()) return new Coordinator(o).run();
        Path base = o.out;
        int worst = 0;
        for (double r : o.rates) {
            o.rate = r;
            o.out = base.resolve("rate-" + fmt(r));
            worst = Math.max(worst, new Coordinator(o).run());
        }
        return worst;
    }

    static String fmt(double r) {
        return r == Math.rint(r) ? Long.toString((long) r) : String.format(Locale.ROOT, "%s", r);
    }

    /** The first problem with the options, or null. */
    static String validate(RunOptions o) {
        List<URI> targets;
        try {
            targets = o.targets();
        } catch (IllegalArgumentException e) {
            return "--url is not a URI: " + e.getMessage();
        }
        for (URI t : targets) {
            if (!"ws".equals(t.getScheme()) || t.getHost() == null) return "--url must be ws://HOST:PORT/PATH (wss is not supported)";
            if (!o.allowRemote && !Sources.isLoopback(t.getHost())) {
                return "target " + t.getHost() + " is not in 127.0.0.0/8; load tests stay on loopback unless --allow-remote";
            }
        }
        URI u = targets.get(0);
        if (o.rates != null && !o.rates.isEmpty() && o.rate != null) return "give --rate or --rates, not both";
        if (o.rates != null) for (double r : o.rates) if (r <= 0) return "--rates must be > 0";
        if (o.rates != null && !o.rates.isEmpty()) o.rate = o.rates.get(0); // for validation below
        try {
            Scenario s = Scenario.create(o);
            if (!Scenario.ECHO_ONLY.contains(o.scenario) && !o.scenario.equals("churn")
                    && targets.stream().anyMatch(t -> t.getPath() == null || !t.getPath().endsWith("/chat"))) {
                return o.scenario + " speaks the chat protocol: --url must end with /chat";
            }
            int perProcess = (s.connections() + o.workers - 1) / Math.max(1, o.workers);
            if (perProcess > MAX_CONNECTIONS_PER_PROCESS) {
                return s.connections() + " connections need --workers >= "
                        + ((s.connections() + MAX_CONNECTIONS_PER_PROCESS - 1) / MAX_CONNECTIONS_PER_PROCESS)
                        + " (open files are capped at 20,000 per process)";
            }
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        } finally {
            if (o.rates != null && !o.rates.isEmpty()) o.rate = null;
        }
        if (o.warmupS < 0 || o.durationS < 1) return "--warmup-s must be >= 0 and --duration-s >= 1";
        if (o.totalS() > o.maxDurationS) return "warm-up + duration " + o.totalS() + " s exceeds --max-duration-s " + o.maxDurationS;
        if (o.connectRate > 0 && o.connections / o.connectRate > o.maxDurationS) {
            return "ramping " + o.connections + " connections at --connect-rate " + o.connectRate + "/s exceeds --max-duration-s " + o.maxDurationS;
        }
        if (o.connections < 1 || o.connections > 200_000) return "--connections must be 1..200000";
        if (o.workers < 1 || o.workers > 32) return "--workers must be 1..32";
        if (o.ioThreads < 1 || o.ioThreads > 64) return "--io-threads must be 1..64";
        try {
            dev.wsstudy.loadgen.client.Transport.resolve(o.transport);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        if (o.rate != null && o.rate > 5_000_000) return "--rate above 5,000,000 msgs/s is not supported";
        if (o.serverPid != null) {
            for (Long pid : o.serverPid) {
                if (!Files.isDirectory(Path.of("/proc", pid.toString()))) return "--server-pid " + pid + ": no such process";
            }
        }
        return null;
    }

    /** Sampling helper shared with the coordinator: server fds back to the baseline, or give up. */
    static ProcStat settle(ServerSampler sampler, ProcStat before, long maxMs) throws InterruptedException {
        long deadline = System.nanoTime() + maxMs * 1_000_000L;
        ProcStat s = sampler.sample();
        while (s != null && before != null && s.fds() > before.fds() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            s = sampler.sample();
        }
        return s;
    }

    static List<String> workerArgs(RunOptions o, int index, int count, Path dir) {
        List<String> a = new ArrayList<>(Params.asArgs(o));
        a.removeIf(s -> s.startsWith("--out=") || s.startsWith("--workers=") || s.startsWith("--rates=")
                || s.startsWith("--server-pid=") || s.startsWith("--stats-url="));
        a.add("--out=" + dir);
        a.add("--share-index=" + index);
        a.add("--share-count=" + count);
        return a;
    }

    static Instant now() {
        return Instant.now();
    }
}
