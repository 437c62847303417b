package dev.wsstudy.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs tsung 1.7 (Debian package {@code tsung}, Erlang) as the independent echo client: its
 * {@code ts_websocket} plugin sends a masked frame, and by default ({@code ack="parse"}) waits for one
 * whole frame back before the user's next step; the request's latency runs from just before the
 * send to that frame (ts_client, {@code send_timestamp}), the same definition as the loadgen's.
 *
 * <ul>
 * <li>closed loop: N users, each connects once and then sends the next message as soon as the echo
 *     arrived (one in flight per connection, like {@code echo-closed}).</li>
 * <li>paced: the same loop with a fixed think time after each echo. Tsung has no per-message send
 *     schedule, so its rate is N / (think + latency): close to N / think at a moderate load, but not
 *     the loadgen's open-loop schedule; the caller measures the loadgen at the rate tsung reached.</li>
 * </ul>
 * Stats are dumped every second ({@code dumpstats_interval}, set through {@code ERL_FLAGS}) and
 * every latency sample goes to {@code tsung-fullstats.log}. The controller id ({@code -i}) keeps
 * concurrent tsung runs apart and marks the process tree for {@link ProcSampler}.
 */
final class Tsung {
    static final String DTD = "/usr/share/tsung/tsung-1.0.dtd";

    /** {@code thinkMs} null = closed loop; {@code loadS} = tsung's whole run (ramp, warm-up, measured, slack). */
    record Workload(int port, String path, int connections, int payloadBytes, Integer thinkMs, int loadS) {}

    record Result(int exitCode, boolean timedOut, Path logDir) {}

    private Tsung() {}

    /** The tsung configuration for one run; the payload is {@code payloadBytes} ASCII letters sent as a binary frame. */
    static String config(Workload w) {
        int arrivalPerS = Math.max(100, w.connections() * 2); // all users within half a second
        String think = w.thinkMs() == null ? ""
                : "\n        <thinktime value=\"" + String.format(java.util.Locale.ROOT, "%.3f", w.thinkMs() / 1000.0)
                + "\" random=\"false\"/>";
        return """
                <?xml version="1.0"?>
                <!DOCTYPE tsung SYSTEM "%s">
                <!-- written by wsstudy crosscheck -->
                <tsung loglevel="notice" backend="fullstats">
                  <clients><client host="localhost" use_controller_vm="true" maxusers="%d"/></clients>
                  <servers><server host="127.0.0.1" port="%d" type="tcp"/></servers>
                  <load duration="%d" unit="second">
                    <arrivalphase phase="1" duration="%d" unit="second">
                      <users maxnumber="%d" arrivalrate="%d" unit="second"/>
                    </arrivalphase>
                  </load>
                  <sessions>
                    <session name="echo" probability="100" type="ts_websocket">
                      <request><websocket type="connect" path="%s"></websocket></request>
                      <for from="1" to="1000000000" var="i">
                        <request><websocket type="message" frame="binary">%s</websocket></request>%s
                      </for>
                    </session>
                  </sessions>
                </tsung>
                """.formatted(DTD, Math.max(1000, w.connections()), w.port(), w.loadS(), w.loadS(), w.connections(),
                arrivalPerS, w.path(), "x".repeat(w.payloadBytes()), think);
    }

    /**
     * Runs tsung in {@code dir} (config, console log, tsung's own log folder under log/); {@code id}
     * names its controller; {@code erlFlags} go to its Erlang VM (through {@code ERL_FLAGS}).
     */
    static Result run(List<String> prefix, String tsung, Path dir, Workload w, String id, String erlFlags)
            throws IOException {
        Files.createDirectories(dir);
        Path conf = dir.resolve("tsung.xml");
        Files.writeString(conf, config(w));
        Path logParent = Files.createDirectories(dir.resolve("log"));
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(tsung, "-n", "-i", id, "-f", conf.toAbsolutePath().toString(), "-l",
                logParent.toAbsolutePath().toString(), "start"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("tsung-console.log").toFile());
        pb.environment().put("ERL_FLAGS", (erlFlags.isBlank() ? "" : erlFlags.strip() + " ")
                + "-tsung_controller dumpstats_interval 1000");
        Process p = pb.start();
        Processes.track(p);
        boolean finished = Processes.awaitOrTerminate(p, Duration.ofSeconds(w.loadS() + 60L), Duration.ofSeconds(5)) == null;
        Path logDir;
        try (Stream<Path> s = Files.list(logParent)) {
            logDir = s.filter(Files::isDirectory).findFirst().orElse(null);
        }
        return new Result(finished ? p.exitValue() : -1, !finished, logDir);
    }

    /** "Tsung version 1.7.0" or null when it cannot run. */
    static String version(String tsung) {
        return RunInfo.firstLine(tsung, "-v");
    }

    /** Whether an Erlang port mapper answers; tsung starts one (a daemon) when none runs. */
    static boolean epmdRunning() {
        return RunInfo.run(Path.of("."), "epmd", "-names") != null;
    }

    /** Stops the port mapper tsung started, unless some Erlang node still uses it. */
    static void stopEpmdIfIdle() {
        String names = RunInfo.run(Path.of("."), "epmd", "-names");
        if (names != null && !names.contains("name ")) {
            RunInfo.run(Path.of("."), "epmd", "-kill");
        }
    }
}
