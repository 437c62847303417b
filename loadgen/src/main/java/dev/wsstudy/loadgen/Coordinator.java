package dev.wsstudy.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsstudy.loadgen.measure.LiveHeap;
import dev.wsstudy.loadgen.measure.ProcStat;
import dev.wsstudy.loadgen.measure.ServerSampler;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One measurement across all processes: spawn workers, connect, start together, sample the
 * server, wait, merge, write. Whatever goes wrong ends in a summary with status "failed" and the
 * reason, never in a missing or silently partial result.
 */
final class Coordinator {
    private static final long LIVE_HEAP_TIMEOUT_MS = 30_000;
    private final RunOptions o;
    private final List<Process> workers = new ArrayList<>();
    private final List<BlockingQueue<String>> workerLines = new ArrayList<>();

    Coordinator(RunOptions o) {
        this.o = o;
    }

    int run() throws Exception {
        Files.createDirectories(o.out);
        Result result = new Result(o);
        try (Log log = new Log(o.out.resolve("loadgen.log"), "run")) {
            log.info("scenario %s -> %s, %d worker(s), args %s", o.scenario, o.url, o.workers, Params.asArgs(o));
            ServerSampler sampler = o.serverPid == null || o.serverPid.isEmpty() ? null : new ServerSampler(o.serverPid);
            // The live heap is read with every connection open (so one process must hold them all)
            // and again after they are closed; both after the last RSS sample, which a full GC
            // before connecting would change (allocation would restart in eden pages already touched).
            boolean liveHeap = sampler != null && "idle-connections".equals(o.scenario) && !o.noLiveHeap && o.workers == 1;
            result.serverBefore = sampler == null ? null : sampler.sample();
            result.socketsBefore = sampler == null ? null : ProcStat.socketFds(o.serverPid);
            result.statsBefore = fetchStats(log);
            result.startedAt = Instant.now();
            List<Path> dirs = new ArrayList<>();
            for (int i = 0; i < o.workers; i++) dirs.add(o.out.resolve("workers").resolve(Integer.toString(i)));
            Share share = null;
            try {
                share = new Share(o, 0, o.workers, Sources.resolve(o), dirs.get(0), log);
                result.scenario = share.scenario();
                if (liveHeap) {
                    share.onHoldEnd(() -> {
                        // After the RSS sample that ends the measured period: the GC must not touch it.
                        try {
                            sampler.awaitSample(o.totalS(), 3000);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                        result.liveHeapEnd = LiveHeap.read(o.serverPid, LIVE_HEAP_TIMEOUT_MS);
                        if (result.liveHeapEnd == null) log.info("server live heap: jcmd could not read it (not a JVM?); RSS only");
                    });
                }
                for (int i = 1; i < o.workers; i++) spawn(i, dirs.get(i), log);
                share.connect();
                awaitLine("READY", o.connectTimeoutMs + 60_000L + o.connections * 10L);
                long startNanos = System.nanoTime() + 300_000_000L;
                long startEpochMs = System.currentTimeMillis() + 300;
                result.startEpochMs = startEpochMs;
                for (Process p : workers) send(p, "GO " + startNanos + " " + startEpochMs);
                if (sampler != null) sampler.start(startNanos);
                share.run(startNanos, startEpochMs);
                awaitLine("DONE", o.drainMs + 30_000L);
                for (Process p : workers) {
                    if (!p.waitFor(10, TimeUnit.SECONDS)) throw new IllegalStateException("worker did not exit");
                }
                if (sampler != null) sampler.awaitSample(o.totalS(), 3000);
            } catch (Exception e) {
                log.info("run failed: %s", e);
                result.fail(String.valueOf(e.getMessage() == null ? e : e.getMessage()));
                if (result.startEpochMs == 0 && share != null) result.reports.add(share.partialReport());
            } finally {
                if (share != null) share.close();
                for (Process p : workers) if (p.isAlive()) p.destroyForcibly();
                if (sampler != null) sampler.close();
            }
            if (sampler != null) {
                result.serverSamples = sampler.samples();
                // Server-side closes finish shortly after ours: give fds a moment to return to baseline.
                result.serverAfter = RunCommand.settle(sampler, result.serverBefore, 5000);
                result.socketsAfter = ProcStat.socketFds(o.serverPid);
                if (result.liveHeapEnd != null) {
                    awaitThreads(sampler, result.serverBefore, 10_000);
                    result.liveHeapAfterClose = LiveHeap.read(o.serverPid, LIVE_HEAP_TIMEOUT_MS);
                }
            }
            result.statsAfter = fetchStats(log);
            if (result.startEpochMs != 0 && result.scenario != null) {
                result.shareDirs = dirs;
                try {
                    result.load();
                } catch (IOException e) {
                    result.fail("reading worker results: " + e.getMessage());
                }
            }
            new ResultWriter(o, result).write();
            log.info("status %s%s", result.status(), result.failureReason == null ? "" : ": " + result.failureReason);
        }
        return 0;
    }

    /** Connection threads end a little after their sockets close: wait (bounded) for the thread count. */
    private static void awaitThreads(ServerSampler sampler, ProcStat before, long maxMs) throws InterruptedException {
        long deadline = System.nanoTime() + maxMs * 1_000_000L;
        ProcStat s = sampler.sample();
        while (s != null && before != null && s.threads() > before.threads() + 2 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            s = sampler.sample();
        }
    }

    private void spawn(int index, Path dir, Log log) throws IOException {
        Files.createDirectories(dir);
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("-Xm") || a.startsWith("-XX:") || a.startsWith("-Xss")) cmd.add(a);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.add("worker");
        cmd.addAll(RunCommand.workerArgs(o, index, o.workers, dir));
        Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("stderr.txt").toFile()).start();
        workers.add(p);
        BlockingQueue<String> lines = new ArrayBlockingQueue<>(16);
        workerLines.add(lines);
        Thread.ofPlatform().daemon().name("worker-" + index + "-out").start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) lines.offer(line);
            } catch (IOException ignored) {
                // the process is gone; awaitLine reports it
            }
            lines.offer("EXIT");
        });
        log.info("worker %d started (pid %d)", index, p.pid());
    }

    private void awaitLine(String expected, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        for (int i = 0; i < workerLines.size(); i++) {
            String line = workerLines.get(i).poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (!expected.equals(line)) {
                throw new IllegalStateException("worker " + (i + 1) + ": expected " + expected + ", got "
                        + (line == null ? "nothing in " + timeoutMs + " ms" : line));
            }
        }
    }

    private static void send(Process p, String line) throws IOException {
        Writer w = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
        w.write(line + "\n");
        w.flush();
    }

    private JsonNode fetchStats(Log log) {
        if (o.statsUrl == null) return null;
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(o.statsUrl)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                log.info("GET %s: HTTP %d", o.statsUrl, r.statusCode());
                return null;
            }
            return Share.JSON.readTree(r.body());
        } catch (Exception e) {
            log.info("GET %s failed: %s", o.statsUrl, e);
            return null;
        }
    }

}
