package dev.wsstudy.suite;

import dev.wsstudy.net.PortReservation;
import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The redis-server of a cluster cell (docs/cluster.md): a child process on a free loopback port,
 * no persistence, its log in the server folder ({@code redis.log}), ready when it logs "Ready to
 * accept connections", stopped with SIGTERM. Debian's {@code redis-server}; {@code ./wsstudy setup}
 * installs it.
 */
final class RedisProcess {
    static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    final Process process;
    final int port;

    private RedisProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static RedisProcess start(List<String> prefix, Path dir) throws ServerProcess.StartFailure {
        String exe = executable();
        Socket reservation;
        Path log = dir.resolve("redis.log");
        try {
            Files.createDirectories(dir);
            reservation = PortReservation.reserveLoopbackPort();
            Files.deleteIfExists(log);
        } catch (IOException e) {
            throw new ServerProcess.StartFailure("cannot prepare redis-server: " + e.getMessage());
        }
        try {
            return start(prefix, exe, dir, log, reservation.getLocalPort());
        } finally {
            ServerProcess.closeQuietly(reservation); // Redis listens on it now (or failed to start)
        }
    }

    private static RedisProcess start(List<String> prefix, String exe, Path dir, Path log, int port)
            throws ServerProcess.StartFailure {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(exe, "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--daemonize", "no", "--dir", ".", "--logfile", "redis.log"));
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new ServerProcess.StartFailure("redis-server did not start: " + e.getMessage());
        }
        Processes.track(p);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && p.isAlive()) {
            try {
                if (Files.exists(log) && Files.readString(log).contains("Ready to accept connections")) {
                    return new RedisProcess(p, port);
                }
            } catch (IOException e) {
                // not written yet
            }
            ServerProcess.sleep(20);
        }
        String how = Processes.terminate(p, Duration.ofSeconds(2));
        throw new ServerProcess.StartFailure("redis-server on port " + port + " not ready within "
                + START_TIMEOUT.toSeconds() + " s (" + how + "; see redis.log)");
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    boolean alive() {
        return process.isAlive();
    }

    String stop() {
        return process.isAlive() ? Processes.terminate(process, Duration.ofSeconds(5))
                : "had already exited with code " + process.exitValue();
    }

    private static String executable() throws ServerProcess.StartFailure {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.addAll(List.of("/usr/bin", "/usr/sbin", "/usr/local/bin"));
        for (String d : dirs) {
            Path p = Path.of(d.isEmpty() ? "." : d, "redis-server");
            if (Files.isExecutable(p)) return p.toString();
        }
        throw new ServerProcess.StartFailure("redis-server not found on PATH (cluster scenarios need it): run ./wsstudy setup");
    }
}
