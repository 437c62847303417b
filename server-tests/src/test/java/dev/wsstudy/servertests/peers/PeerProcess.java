package dev.wsstudy.servertests.peers;

import dev.wsstudy.servertests.support.Http;
import dev.wsstudy.servertests.support.ServerProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reference peer started exactly as the suite starts one (peers/README.md): {@code peers/<name>/build},
 * then {@code peers/<name>/run --host 127.0.0.1 --port 0}. Our peers accept port 0 and print the bound
 * port in a {@code listening on HOST:PORT} line; the peer counts as up once {@code GET /health} is 200.
 * Output goes to {@code server-tests/target/server-logs/peer-<name>-<n>.out/.err}.
 */
final class PeerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on (\\S+):(\\d+)");
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(4); // first build may apt-get install
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
    private static final Set<String> BUILT = ConcurrentHashMap.newKeySet();
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    /** Peers still running when the test JVM exits (a failed or interrupted run) are killed, not orphaned. */
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly)));
    }

    final String name;
    final Process process;
    final int port;
    private final Path outFile;
    private final Path errFile;

    private PeerProcess(String name, Process process, int port, Path outFile, Path errFile) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.outFile = outFile;
        this.errFile = errFile;
    }

    static Path dir(String name) {
        return ServerProcess.root().resolve("peers").resolve(name);
    }

    /** Runs {@code peers/<name>/build} once per test JVM; it is idempotent and fast when up to date. */
    static void build(String name) throws IOException, InterruptedException {
        if (BUILT.contains(name)) return;
        Path log = logDir().resolve("peer-" + name + "-build.log");
        Process p = new ProcessBuilder(dir(name).resolve("build").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(BUILD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("peers/" + name + "/build took over " + BUILD_TIMEOUT + "; log:\n" + Files.readString(log));
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("peers/" + name + "/build exited " + p.exitValue() + "; log:\n" + Files.readString(log));
        }
        BUILT.add(name);
    }

    /** How long one /health attempt may take before the start-up loop tries again. */
    static final Duration HEALTH_ATTEMPT = Duration.ofSeconds(2);

    /** Starts {@code peers/<name>/run --host 127.0.0.1 --port 0 ARGS...} and waits until it is up. */
    static PeerProcess start(String name, List<String> args) throws IOException, InterruptedException {
        build(name);
        String base = "peer-" + name + "-" + SEQUENCE.incrementAndGet();
        Path out = logDir().resolve(base + ".out");
        Path err = logDir().resolve(base + ".err");
        List<String> command = new ArrayList<>(List.of(dir(name).resolve("run").toString(), "--host", "127.0.0.1", "--port", "0"));
        command.addAll(args);
        Process p = new ProcessBuilder(command)
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        LIVE.add(p);
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        try {
            int port = awaitPort(p, out, err, deadline);
            PeerProcess peer = new PeerProcess(name, p, port, out, err);
            while (!peer.healthy()) {
                if (System.nanoTime() > deadline) throw new AssertionError(name + ": /health not 200 within " + STARTUP_TIMEOUT);
                Thread.sleep(50);
            }
            return peer;
        } catch (AssertionError | RuntimeException e) {
            p.destroyForcibly();
            LIVE.remove(p);
            throw e;
        }
    }

    private static int awaitPort(Process p, Path out, Path err, long deadline) throws IOException, InterruptedException {
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(Files.readString(out, StandardCharsets.UTF_8) + Files.readString(err, StandardCharsets.UTF_8));
            if (m.find()) return Integer.parseInt(m.group(2));
            if (!p.isAlive()) {
                throw new AssertionError("peer exited " + p.exitValue() + " before listening; stdout:\n"
                        + Files.readString(out) + "\nstderr:\n" + Files.readString(err));
            }
            Thread.sleep(20);
        }
        throw new AssertionError("peer printed no 'listening on' line within " + STARTUP_TIMEOUT);
    }

    private boolean healthy() {
        try {
            // A short patience per attempt: one request that hangs (seen once with Jetty just after
            // it reported "Started") must not use up the whole start-up deadline; the caller retries.
            return Http.get(port, "/health", HEALTH_ATTEMPT).status() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** The executable's name as the kernel knows it ({@code /proc/PID/comm}): proves {@code run} exec'd. */
    String comm() throws IOException {
        return Files.readString(Path.of("/proc", Long.toString(process.pid()), "comm")).strip();
    }

    String log() throws IOException {
        return String.join("\n", List.of(Files.readString(outFile), Files.readString(errFile)));
    }

    private static Path logDir() throws IOException {
        String logs = System.getProperty("wsstudy.logs");
        Path dir = logs != null ? Path.of(logs) : ServerProcess.root().resolve("server-tests/target/server-logs");
        return Files.createDirectories(dir);
    }

    @Override
    public void close() throws InterruptedException {
        LIVE.remove(process);
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
}
