package dev.wsstudy.cluster.testing;

import dev.wsstudy.net.PortReservation;
import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} (Debian package {@code redis-server}; {@code ./wsstudy setup}
 * installs it) as a child process on a free loopback port, for tests: no persistence, its own
 * temporary folder and log file. {@link #kill} and {@link #restart} simulate an outage on the
 * same port. Shared with server-tests through this module's test jar.
 *
 * <p>The port is held from start to close by a {@link PortReservation}: nothing else on the
 * machine can take it between picking it and Redis binding it, or while Redis is down during an
 * outage; Redis, binding with {@code SO_REUSEADDR}, may share it; and while Redis is down a
 * connection attempt is refused there, as with no process on the port at all.
 */
public final class RedisServer implements AutoCloseable {

    /** Redis is ready in milliseconds on an idle machine; a busy one may not schedule it for seconds. */
    private static final long READY_TIMEOUT_MS = 30_000;

    private final Path dir;
    private final Socket reservation;
    private final int port;
    private Process process;
    private int starts;

    private RedisServer(Path dir, Socket reservation) {
        this.dir = dir;
        this.reservation = reservation;
        this.port = reservation.getLocalPort();
    }

    /** Starts one on a free port and waits until it accepts connections. */
    public static RedisServer start() throws IOException {
        Path dir = Files.createTempDirectory("wsstudy-redis-");
        RedisServer redis = new RedisServer(dir, PortReservation.reserveLoopbackPort());
        try {
            redis.launch();
        } catch (IOException e) {
            redis.close();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(redis::destroy, "redis-cleanup"));
        return redis;
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:PORT}, the value of a server's {@code --cluster}. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** SIGKILL, as a crash would: every client connection is reset. Waits until it is gone. */
    public void kill() throws InterruptedException {
        if (process == null) return;
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        process = null;
    }

    /** Starts it again on the same port (empty: nothing was persisted). */
    public void restart() throws IOException {
        if (process != null) throw new IllegalStateException("still running");
        launch();
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    @Override
    public void close() {
        destroy();
        try {
            reservation.close();
        } catch (IOException ignored) {
            // the port is free either way
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }

    private void destroy() {
        Process p = process;
        if (p == null) return;
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    private void launch() throws IOException {
        String exe = executable();
        Path logFile = dir.resolve("redis-" + port + "-" + (++starts) + ".log");
        process = new ProcessBuilder(exe, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", dir.toString(),
                "--logfile", logFile.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis-" + port + "-" + starts + ".out").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_TIMEOUT_MS);
        while (System.nanoTime() < deadline) {
            if (Files.exists(logFile) && Files.readString(logFile, StandardCharsets.UTF_8).contains("Ready to accept connections")) {
                return;
            }
            if (!process.isAlive()) break;
            sleep(20);
        }
        String tail = Files.exists(logFile) ? tail(Files.readAllLines(logFile, StandardCharsets.UTF_8)) : "(no log)";
        destroy();
        throw new IOException("redis-server did not start on port " + port + ": " + tail);
    }

    private static String executable() throws IOException {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d.isEmpty() ? "." : d, "redis-server");
            if (Files.isExecutable(p)) return p.toString();
        }
        for (String d : List.of("/usr/bin", "/usr/sbin", "/usr/local/bin")) {
            Path p = Path.of(d, "redis-server");
            if (Files.isExecutable(p)) return p.toString();
        }
        throw new IOException("redis-server not found on PATH: run ./wsstudy setup (Debian package redis-server)");
    }

    private static String tail(List<String> lines) {
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
