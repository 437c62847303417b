package dev.wsstudy.servertests.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One server under test, started as its users start it: {@code java -jar <module>/target/<module>.jar
 * --port 0 ...} on the JDK that runs the tests. The port comes from the readiness line
 * {@code wsstudy-<kind> listening on HOST:PORT} (docs/servers.md). Stdout and stderr go to files under
 * {@code server-tests/target/server-logs/}, kept after the run for debugging and read by tests that
 * check log lines.
 */
public final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("wsstudy-(\\S+) listening on (\\S+):(\\d+)");
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
    /** Servers still running when the test JVM exits (a failed or interrupted run) are killed, not orphaned. */
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    /** Servers with default-like flags shared by several test classes: starting a JVM costs ~1 s on 2 cores. */
    private static final Map<List<String>, ServerProcess> SHARED = new ConcurrentHashMap<>();

    static {
        // At the end of the run (or on an interrupted one): SIGTERM all, wait briefly, then kill.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LIVE.forEach(Process::destroy);
            for (Process p : LIVE) {
                try {
                    if (!p.waitFor(5, TimeUnit.SECONDS)) p.destroyForcibly();
                } catch (InterruptedException e) {
                    p.destroyForcibly();
                }
            }
        }));
    }

    public final ServerKind kind;
    private final Process process;
    private final Path outFile;
    private final Path errFile;
    private String logName;
    private long idleConnections;
    private String host;
    private int port;

    private ServerProcess(ServerKind kind, Process process, Path outFile, Path errFile) {
        this.kind = kind;
        this.process = process;
        this.outFile = outFile;
        this.errFile = errFile;
    }

    /** Starts {@code kind} with default flags plus {@code args}, and waits until it is listening. */
    public static ServerProcess start(ServerKind kind, String... args) {
        return builder(kind).args(args).start();
    }

    /**
     * A running server of {@code kind} started with {@code args}, shared by every test class that asks
     * for the same: it lives until the test JVM exits. Such classes must leave it as they found it
     * (each checks {@code /stats} against {@link #idleConnections()} after its tests).
     */
    public static ServerProcess shared(ServerKind kind, String... args) {
        List<String> key = new ArrayList<>(List.of(kind.name()));
        key.addAll(List.of(args));
        return SHARED.computeIfAbsent(List.copyOf(key), k -> start(kind, args));
    }

    public static Builder builder(ServerKind kind) {
        return new Builder(kind);
    }

    /** The JDK running these tests: servers and JDK tools (jfr, jcmd) come from the same one. */
    public static Path jdkTool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name);
    }

    public static Path root() {
        String root = System.getProperty("wsstudy.root");
        if (root == null) {
            throw new IllegalStateException("system property wsstudy.root is not set (Surefire sets it: run via Maven)");
        }
        return Path.of(root).toAbsolutePath().normalize();
    }

    static Path logDir() throws IOException {
        String logs = System.getProperty("wsstudy.logs");
        Path dir = logs != null ? Path.of(logs) : root().resolve("server-tests/target/server-logs");
        return Files.createDirectories(dir);
    }

    public int port() { return port; }
    public String host() { return host; }
    public long pid() { return process.pid(); }
    public Process process() { return process; }
    /** The kind named in the readiness line, e.g. {@code eventloop}. */
    public String logName() { return logName; }
    public Path outFile() { return outFile; }
    /** {@code connectionsOpen} of {@code /stats} right after start: what "nothing leaked" returns to. */
    public long idleConnections() { return idleConnections; }

    /** Everything the server wrote so far, stdout then stderr. */
    public String log() {
        try {
            return Files.readString(outFile, StandardCharsets.UTF_8) + Files.readString(errFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until a log line matches {@code pattern}; returns that line. */
    public String awaitLogLine(Pattern pattern, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (String line : log().split("\n")) {
                if (pattern.matcher(line).find()) return line;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no log line matching /" + pattern + "/ within " + timeout + "; log:\n" + tail());
            }
            Thread.sleep(20);
        }
    }

    /** Last lines of the log, for failure messages. */
    public String tail() {
        String[] lines = log().split("\n");
        return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 40), lines.length));
    }

    /** User + system CPU time the process has consumed, from /proc/PID/stat (fields 14 and 15, in clock ticks of 10 ms). */
    public Duration cpuTime() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
        // The command name (field 2) may contain spaces; fields after ")" are space-separated.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        return Duration.ofMillis(ticks * 10);
    }

    /** Sends SIGTERM ({@link Process#destroy()} does exactly that on Linux). */
    public void sigterm() {
        process.destroy();
    }

    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        LIVE.remove(process);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void awaitListening() throws InterruptedException {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String out;
            try {
                out = Files.readString(outFile, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            Matcher m = LISTENING.matcher(out);
            if (m.find()) {
                logName = m.group(1);
                host = m.group(2);
                port = Integer.parseInt(m.group(3));
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError(kind + " server exited with " + process.exitValue()
                        + " before printing its listening line; log:\n" + log());
            }
            Thread.sleep(20);
        }
        close();
        throw new AssertionError(kind + " server printed no listening line within " + STARTUP_TIMEOUT + "; log:\n" + log());
    }

    public static final class Builder {
        private final ServerKind kind;
        private final List<String> args = new ArrayList<>();
        private final List<String> jvmOptions = new ArrayList<>(List.of("-Xmx1g"));
        private Integer openFilesLimit;

        private Builder(ServerKind kind) {
            this.kind = kind;
        }

        public Builder args(String... more) {
            args.addAll(List.of(more));
            return this;
        }

        public Builder jvmOptions(String... more) {
            jvmOptions.addAll(List.of(more));
            return this;
        }

        /** Runs the server under {@code ulimit -n LIMIT} (bash {@code exec}s java, so the pid is the server's). */
        public Builder openFilesLimit(int limit) {
            this.openFilesLimit = limit;
            return this;
        }

        public ServerProcess start() {
            Path jar = root().resolve(kind.module).resolve("target").resolve(kind.module + ".jar");
            if (!Files.isRegularFile(jar)) {
                throw new AssertionError("server jar " + jar + " is missing: build the servers first (mvn package)");
            }
            List<String> command = new ArrayList<>();
            command.add(jdkTool("java").toString());
            command.addAll(jvmOptions);
            command.addAll(List.of("-jar", jar.toString(), "--port", "0"));
            command.addAll(args);
            if (openFilesLimit != null) {
                List<String> quoted = command.stream().map(s -> "'" + s.replace("'", "'\\''") + "'").toList();
                command = List.of("bash", "-c", "ulimit -n " + openFilesLimit + " && exec " + String.join(" ", quoted));
            }
            try {
                String name = kind.logName + "-" + SEQUENCE.incrementAndGet();
                Path out = logDir().resolve(name + ".out");
                Path err = logDir().resolve(name + ".err");
                Files.writeString(out, "");
                Process p = new ProcessBuilder(command)
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .redirectInput(ProcessBuilder.Redirect.PIPE)
                        .start();
                Files.writeString(logDir().resolve(name + ".cmd"), String.join(" ", command) + "\n");
                LIVE.add(p);
                ServerProcess server = new ServerProcess(kind, p, out, err);
                server.awaitListening();
                server.idleConnections = Stats.baseline(server);
                return server;
            } catch (IOException e) {
                throw new IllegalStateException("cannot start " + command, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
