package dev.wsstudy.suite;

import dev.wsstudy.net.PortReservation;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One server under test as its own JVM: started with the suite's JVM flags (pinned when
 * {@link Pinning} says so), its stdout and stderr appended to server.log, ready when
 * {@code GET /health} answers 200 (docs/servers.md), stopped with SIGTERM and, if it has not
 * exited after {@link #STOP_GRACE}, SIGKILL.
 */
final class ServerProcess implements AutoCloseable {
    static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    static final Duration STOP_GRACE = Duration.ofSeconds(10);
    /** HTTP/1.1 only: the default HTTP/2 attempt sends {@code Upgrade: h2c}, which is not what we probe. */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1)).build();

    final Process process;
    final int port;
    final Path log;
    /** Cluster cell (docs/cluster.md): this is node 0; the other nodes and their Redis come along. */
    private final List<ServerProcess> peers = new ArrayList<>();
    private RedisProcess redis;

    private ServerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * A cluster of {@code nodes} servers on one fresh redis-server: every node gets
     * {@code --cluster redis://...} after {@code args}; node 0 logs to {@code log}, node i to
     * {@code server-node<i>.log} beside it, Redis to {@code redis.log}. Returns node 0, which
     * stands for the cluster: {@link #alive}, {@link #stop}, {@link #wsUrls}, {@link #pids} cover all.
     */
    static ServerProcess startCluster(List<String> prefix, Path java, List<String> jvmFlags, Path jar, List<String> args,
                                      Path log, int nodes) throws StartFailure {
        RedisProcess redis = RedisProcess.start(prefix, log.getParent());
        List<String> nodeArgs = new ArrayList<>(args);
        nodeArgs.addAll(List.of("--cluster", redis.url()));
        List<ServerProcess> started = new ArrayList<>();
        try {
            for (int i = 0; i < nodes; i++) {
                Path nodeLog = i == 0 ? log : log.resolveSibling("server-node" + i + ".log");
                started.add(start(prefix, java, jvmFlags, jar, nodeArgs, nodeLog));
            }
        } catch (StartFailure e) {
            started.forEach(ServerProcess::stop);
            redis.stop();
            throw e;
        }
        ServerProcess first = started.get(0);
        first.redis = redis;
        first.peers.addAll(started.subList(1, started.size()));
        first.note("cluster of " + nodes + " nodes on " + redis.url() + " (redis pid " + redis.process.pid() + ")");
        return first;
    }

    /** Thrown when the server cannot be brought up; the message is the cell's failure reason. */
    static final class StartFailure extends Exception {
        StartFailure(String message) {
            super(message);
        }
    }

    static ServerProcess start(List<String> prefix, Path java, List<String> jvmFlags, Path jar, List<String> args,
                               Path log) throws StartFailure {
        if (!Files.isRegularFile(jar)) {
            throw new StartFailure("server jar missing: " + jar.getFileName() + " (run ./wsstudy build)");
        }
        Socket reservation = prepareReservedPort(log);
        try {
            int port = reservation.getLocalPort();
            List<String> cmd = new ArrayList<>(prefix);
            cmd.add(java.toString());
            cmd.addAll(jvmFlags);
            cmd.addAll(List.of("-jar", jar.toString(), "--port", Integer.toString(port)));
            cmd.addAll(args);
            String shown = String.join(" ", cmd.subList(prefix.size() + 1, cmd.size()))
                    .replace(jar.toString(), jar.getFileName().toString());
            return launch(new ProcessBuilder(cmd), port, log, shown);
        } finally {
            closeQuietly(reservation); // the server listens on the port now (or failed to start)
        }
    }

    /** The environment variable a Java peer's run script takes its JVM flags from (peers/README.md). */
    static final String PEER_JVM_FLAGS_ENV = "WSSTUDY_JVM_FLAGS";

    /**
     * A reference peer (peers/README.md): {@code peers/<peer>/run --host 127.0.0.1 --port P <args>},
     * pinned like our servers, with the suite's server JVM flags in {@link #PEER_JVM_FLAGS_ENV}. The
     * run script execs the server, so the pid is the server's.
     */
    static ServerProcess startPeer(List<String> prefix, Path root, Suite.Peer peer, List<String> jvmFlags, Path log)
            throws StartFailure {
        Path run = peerRun(root, peer);
        int port = preparePort(log);
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(run.toString());
        cmd.addAll(List.of("--host", "127.0.0.1", "--port", Integer.toString(port)));
        cmd.addAll(peer.args());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put(PEER_JVM_FLAGS_ENV, String.join(" ", jvmFlags));
        String shown = "peers/" + peer.peer() + "/run " + String.join(" ", cmd.subList(prefix.size() + 1, cmd.size()))
                + " (" + PEER_JVM_FLAGS_ENV + "=" + String.join(" ", jvmFlags) + ")";
        return launch(pb, port, log, shown);
    }

    /** The peer's run script, or a StartFailure saying the peer is not available. */
    static Path peerRun(Path root, Suite.Peer peer) throws StartFailure {
        Path run = root.resolve("peers").resolve(peer.peer()).resolve("run");
        if (!Files.isExecutable(run)) {
            throw new StartFailure("peer not available: peers/" + peer.peer() + "/run is missing or not executable");
        }
        return run;
    }

    private static int preparePort(Path log) throws StartFailure {
        try {
            Files.createDirectories(log.getParent());
            return freePort();
        } catch (IOException e) {
            throw new StartFailure("cannot prepare server start: " + e.getMessage());
        }
    }

    private static ServerProcess launch(ProcessBuilder pb, int port, Path log, String shown) throws StartFailure {
        Process p;
        try {
            p = pb.directory(log.getParent().toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new StartFailure("server did not start: " + e.getMessage());
        }
        ServerProcess s = new ServerProcess(p, port, log);
        Processes.track(p);
        s.note("started pid " + p.pid() + ": " + shown);
        s.awaitHealthy();
        return s;
    }

    private void awaitHealthy() throws StartFailure {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        HttpRequest req = HttpRequest.newBuilder(URI.create(httpBase() + "/health")).timeout(Duration.ofSeconds(2))
                .build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new StartFailure("server exited with code " + process.exitValue()
                        + " before /health answered (see server.log)");
            }
            try {
                if (HTTP.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            sleep(100);
        }
        stop();
        throw new StartFailure("server did not answer /health with 200 within " + START_TIMEOUT.toSeconds() + " s");
    }

    String httpBase() {
        return "http://127.0.0.1:" + port;
    }

    String wsBase() {
        return "ws://127.0.0.1:" + port;
    }

    long pid() {
        return process.pid();
    }

    /**
     * The pids the loadgen samples: this server's, or in a cluster every node's and then Redis's
     * (crossing nodes costs the broker's CPU too, so the cell's server numbers include it).
     */
    List<Long> pids() {
        List<Long> all = new ArrayList<>(List.of(pid()));
        peers.forEach(p -> all.add(p.pid()));
        if (redis != null) all.add(redis.process.pid());
        return all;
    }

    /** The WebSocket URL(s) of {@code path}: one per node, comma-separated (the loadgen's --url). */
    String wsUrls(String path) {
        StringBuilder sb = new StringBuilder(wsBase()).append(path);
        peers.forEach(p -> sb.append(',').append(p.wsBase()).append(path));
        return sb.toString();
    }

    /** Every node's ws://HOST:PORT, for verification. */
    List<String> wsBases() {
        List<String> all = new ArrayList<>(List.of(wsBase()));
        peers.forEach(p -> all.add(p.wsBase()));
        return all;
    }

    boolean alive() {
        return process.isAlive() && peers.stream().allMatch(ServerProcess::alive) && (redis == null || redis.alive());
    }

    /** Why {@link #alive} is false, for the trial's failure reason. */
    String exitDescription() {
        if (!process.isAlive()) return "server exited with code " + process.exitValue();
        for (int i = 0; i < peers.size(); i++) {
            if (!peers.get(i).process.isAlive()) return "cluster node " + (i + 1) + " exited with code " + peers.get(i).process.exitValue();
        }
        if (redis != null && !redis.alive()) return "redis-server exited with code " + redis.process.exitValue();
        return "running";
    }

    /** SIGTERM, then SIGKILL after the grace period; returns how it ended, also noted in server.log. */
    String stop() {
        // Cluster: the other nodes first, then node 0, then Redis (nodes leave Redis cleanly).
        peers.forEach(ServerProcess::stop);
        String how;
        if (!process.isAlive()) {
            how = "had already exited with code " + process.exitValue();
        } else {
            how = Processes.terminate(process, STOP_GRACE);
            note("stopped: " + how);
        }
        if (redis != null) note("redis-server stopped: " + redis.stop());
        return how;
    }

    @Override
    public void close() {
        stop();
    }

    /** A line from the suite in server.log, marked so nobody mistakes it for the server's own. */
    void note(String line) {
        try {
            Files.writeString(log, "[wsstudy-suite] " + line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // the log is a convenience; a failure to annotate it must not fail the cell
        }
    }

    /**
     * The server's port, held until it listens there (our servers bind with {@code SO_REUSEADDR}, so
     * they may share it; peers may not: {@link #freePort} for them).
     */
    private static Socket prepareReservedPort(Path log) throws StartFailure {
        try {
            Files.createDirectories(log.getParent());
            return PortReservation.reserveLoopbackPort();
        } catch (IOException e) {
            throw new StartFailure("cannot prepare server start: " + e.getMessage());
        }
    }

    static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // the port is free either way
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void sleep(long ms) {
        try {
            TimeUnit.MILLISECONDS.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
