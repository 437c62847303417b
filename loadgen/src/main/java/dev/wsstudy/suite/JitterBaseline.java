package dev.wsstudy.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The machine-jitter baseline of a run (run.json {@code machineJitter}, one line in report.md):
 * the {@link MachineJitter} probe on each CPU the run pins to, the server's and the loadgen's, each
 * its own JVM started with that CPU's taskset prefix; both at once, since they are on different
 * CPUs. Unpinned, one probe without taskset. Measured when the run starts rather than assumed,
 * because the stalls come from outside our processes (DAMON's kdamond, the hypervisor) and vary
 * from hour to hour. A probe that fails is recorded with its reason; it never fails the run.
 */
final class JitterBaseline {
    static final int DEFAULT_SECONDS = 5;
    /** JVM start and the probe's warm-up, on top of its measured seconds (for the suite's estimate). */
    static final double OVERHEAD_S = 1.5;
    /** A small JVM: the probe allocates almost nothing, and one GC thread is one thread less on the CPU. */
    static final List<String> PROBE_JVM_FLAGS = List.of("-Xms32m", "-Xmx32m", "-XX:+UseSerialGC");
    static final Path DAMON = Path.of("/sys/kernel/mm/damon/admin/kdamonds");
    private static final ObjectMapper JSON = new ObjectMapper();

    private JitterBaseline() {}

    private record Probe(String cpu, String role, List<String> prefix) {}

    /**
     * Runs the probe for {@code seconds} on the loadgen's and the server's CPU (or once, unpinned)
     * with this JVM's java and class path; returns run.json's {@code machineJitter} object.
     */
    static ObjectNode measure(Pinning pinning, int seconds) {
        List<Probe> probes = pinning.enabled()
                ? List.of(new Probe(pinning.loadgenCpus(), "loadgen", pinning.loadgenPrefix()),
                          new Probe(pinning.serverCpus(), "server", pinning.serverPrefix()))
                : List.of(new Probe(null, "server and loadgen (unpinned)", List.of()));
        ObjectNode r = JSON.createObjectNode();
        r.put("durationS", seconds);
        r.put("sleepMs", TimeUnit.NANOSECONDS.toMillis(MachineJitter.SLEEP_NS));
        List<Running> running = probes.stream().map(p -> start(p, seconds)).toList();
        ArrayNode perCpu = r.putArray("perCpu");
        for (Running p : running) {
            perCpu.add(p.finish(Duration.ofSeconds(seconds + 30)));
        }
        ArrayNode kdamond = kdamonds(DAMON);
        if (!kdamond.isEmpty()) {
            r.set("kdamond", kdamond);
        }
        return r;
    }

    /** A started probe process (or the reason it did not start), its console in a temporary file. */
    private record Running(Probe probe, Process process, Path out, String failure) {
        /** This probe's perCpu entry: cpu and role, then the probe's figures or an {@code error}. */
        ObjectNode finish(Duration timeout) {
            ObjectNode e = JSON.createObjectNode();
            if (probe.cpu() == null) {
                e.putNull("cpu");
            } else if (probe.cpu().matches("\\d+")) {
                e.put("cpu", Integer.parseInt(probe.cpu()));
            } else {
                e.put("cpu", probe.cpu());
            }
            e.put("role", probe.role());
            try {
                if (failure != null) {
                    throw new Failure(failure);
                }
                JSON.readTree(jsonLine(timeout)).properties().stream()
                        .filter(f -> !f.getKey().equals("durationS") && !f.getKey().equals("sleepMs"))
                        .forEach(f -> e.set(f.getKey(), f.getValue()));
            } catch (Failure f) {
                e.put("error", f.getMessage());
            } catch (IOException | RuntimeException ex) {
                e.put("error", "probe output unreadable: " + ex.getMessage());
            } finally {
                try {
                    if (out != null) {
                        Files.deleteIfExists(out);
                    }
                } catch (IOException ex) {
                    // a temporary file left behind is no reason to lose the measurement
                }
            }
            return e;
        }

        private String jsonLine(Duration timeout) throws Failure, IOException {
            String how = Processes.awaitOrTerminate(process, timeout, Duration.ofSeconds(2));
            if (how != null) {
                throw new Failure("timeout: still running after " + timeout.toSeconds() + " s (" + how + ")");
            }
            List<String> lines = Files.readAllLines(out).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
            String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
            if (process.exitValue() != 0 || !last.startsWith("{")) {
                throw new Failure("probe exited with code " + process.exitValue() + (last.isEmpty() ? "" : ": " + last));
            }
            return last;
        }
    }

    private static final class Failure extends Exception {
        Failure(String reason) {
            super(reason);
        }
    }

    private static Running start(Probe p, int seconds) {
        List<String> cmd = new ArrayList<>(p.prefix());
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(PROBE_JVM_FLAGS);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), MachineJitter.class.getName(),
                "--seconds", Integer.toString(seconds)));
        Path out = null;
        try {
            out = Files.createTempFile("wsstudy-jitter-", ".log");
            Process process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            Processes.track(process);
            return new Running(p, process, out, null);
        } catch (IOException e) {
            return new Running(p, null, out, "probe did not start: " + e.getMessage());
        }
    }

    /**
     * DAMON's monitoring threads ({@code kdamond.N}), found by the sysfs interface
     * (docs.kernel.org admin-guide/mm/damon/usage): each one's state and, for its first context,
     * the sampling and aggregation intervals and the schemes' actions. Empty where none is readable.
     */
    static ArrayNode kdamonds(Path damon) {
        ArrayNode all = JSON.createArrayNode();
        try (Stream<Path> dirs = Files.list(damon)) {
            for (Path d : dirs.filter(Files::isDirectory).sorted().toList()) {
                String state = read(d.resolve("state"));
                if (state == null) {
                    continue;
                }
                ObjectNode k = all.addObject();
                k.put("id", d.getFileName().toString());
                k.put("state", state);
                Path ctx = d.resolve("contexts/0");
                putLong(k, "sampleUs", read(ctx.resolve("monitoring_attrs/intervals/sample_us")));
                putLong(k, "aggrUs", read(ctx.resolve("monitoring_attrs/intervals/aggr_us")));
                ArrayNode actions = k.putArray("schemeActions");
                try (Stream<Path> schemes = Files.list(ctx.resolve("schemes"))) {
                    schemes.filter(Files::isDirectory).sorted().map(s -> read(s.resolve("action")))
                            .filter(a -> a != null).forEach(actions::add);
                } catch (IOException | RuntimeException e) {
                    // no schemes folder: the list stays empty
                }
            }
        } catch (IOException | RuntimeException e) {
            // no DAMON sysfs (another kernel, a container): nothing to record
        }
        return all;
    }

    private static void putLong(ObjectNode n, String field, String value) {
        if (value != null && value.matches("\\d+")) {
            n.put(field, Long.parseLong(value));
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The report's line, e.g. "Machine jitter before the run (1 ms sleeps, 5 s per CPU): CPU 0
     * (loadgen) p99 45 µs, max 3.9 ms, 14 stalls ≥ 1 ms (20.1 ms in all); CPU 1 (server) …; kdamond.0
     * on (pageout)". Null when {@code machineJitter} is missing (a run.json from before the probe).
     */
    static String describe(JsonNode mj) {
        if (mj == null || !mj.path("perCpu").isArray()) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        for (JsonNode c : mj.path("perCpu")) {
            String who = c.path("cpu").isNull() || c.path("cpu").isMissingNode()
                    ? c.path("role").asText("?")
                    : "CPU " + c.path("cpu").asText() + " (" + c.path("role").asText("?") + ")";
            parts.add(c.has("error") ? who + " probe failed: " + c.path("error").asText()
                    : String.format(Locale.ROOT, "%s p99 %d µs, max %.1f ms, %d stall%s ≥ 1 ms (%.1f ms in all)",
                            who, c.path("p99Us").asLong(), c.path("maxUs").asLong() / 1000.0,
                            c.path("stallsOver1ms").asLong(), c.path("stallsOver1ms").asLong() == 1 ? "" : "s",
                            c.path("stallMsTotal").asDouble()));
        }
        for (JsonNode k : mj.path("kdamond")) {
            List<String> actions = new ArrayList<>();
            k.path("schemeActions").forEach(a -> actions.add(a.asText()));
            parts.add("kdamond." + k.path("id").asText("?") + " " + k.path("state").asText("?")
                    + (actions.isEmpty() ? "" : " (" + String.join(", ", actions) + ")"));
        }
        return String.format(Locale.ROOT, "Machine jitter before the run (%d ms sleeps, %d s per CPU): %s",
                mj.path("sleepMs").asInt(1), mj.path("durationS").asInt(), String.join("; ", parts));
    }
}
