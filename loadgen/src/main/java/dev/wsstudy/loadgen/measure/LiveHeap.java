package dev.wsstudy.loadgen.measure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The live Java heap of a server JVM, read from outside with the JDK's {@code jcmd PID
 * GC.class_histogram}. That command first runs a full, stop-the-world collection (any collector)
 * and then counts what survived, so its total is the heap that is really reachable, without the
 * garbage that RSS growth also contains (eden pages touched by allocation stay resident until the
 * JVM exits, so every byte allocated while connections open shows up in RSS whether or not it is
 * still live). The same tool shows which classes hold the bytes; the largest ones are kept.
 *
 * <p>Only JVMs are asked ({@link #isJvm}); for any other process (Go, Node), a JVM with attach
 * disabled, or a missing {@code jcmd}, the reading is null and only RSS is reported. The collection pauses the server
 * (tens of milliseconds here) and changes its heap, so it is taken only where that is harmless:
 * at the end of an idle hold, after the last RSS sample, and after the connections are closed.
 * (Not before connecting: after a full GC, allocation restarts at the bottom of eden, in pages that
 * are already resident, and the RSS growth that follows would no longer be comparable.)
 */
public final class LiveHeap {
    /** The histogram's closing line: {@code Total <instances> <bytes>}. */
    private static final String TOTAL = "Total";
    /** Dead space formatted as objects: {@code jdk.internal.vm.FillerObject}, {@code [Ljdk.internal.vm.FillerElement;}. */
    private static final String FILLER = "jdk.internal.vm.Filler";
    /** Lines of the histogram kept beside the result: the header and the largest classes. */
    static final int KEPT_LINES = 42;

    /** One reading: live bytes and the head of the histogram (largest classes first). */
    public record Reading(long bytes, String histogramHead) { }

    private LiveHeap() {
    }

    /** The {@code jcmd} of the JDK this process runs on. */
    public static Path jcmd() {
        return Path.of(System.getProperty("java.home"), "bin", "jcmd");
    }

    /**
     * Live bytes of every process in {@code pids}, summed (cluster nodes), or null when any of them
     * cannot be read within {@code timeoutMs}.
     */
    public static Reading read(List<Long> pids, long timeoutMs) {
        long bytes = 0;
        StringBuilder heads = new StringBuilder();
        for (long pid : pids) {
            Reading r = read(pid, timeoutMs);
            if (r == null) return null;
            bytes += r.bytes();
            heads.append("# pid ").append(pid).append('\n').append(r.histogramHead());
        }
        return new Reading(bytes, heads.toString());
    }

    static Reading read(long pid, long timeoutMs) {
        Path jcmd = jcmd();
        if (!Files.isExecutable(jcmd) || !isJvm(pid)) return null;
        try {
            Path out = Files.createTempFile("wsstudy-histogram", ".txt");
            try {
                Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram")
                        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
                if (!p.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    return null;
                }
                String text = Files.readString(out, StandardCharsets.UTF_8);
                Long total = p.exitValue() == 0 ? liveBytes(text) : null;
                return total == null ? null : new Reading(total, head(text));
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * Whether {@code pid} has the JVM library mapped. Asked before jcmd, because jcmd's attach sends
     * SIGQUIT to any process that catches that signal, and a Go program (the gorilla peer) does:
     * its runtime then dumps its goroutines and exits with code 2.
     */
    static boolean isJvm(long pid) {
        try (var lines = Files.lines(Path.of("/proc", Long.toString(pid), "maps"), StandardCharsets.ISO_8859_1)) {
            return lines.anyMatch(l -> l.endsWith("/libjvm.so"));
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    /**
     * The bytes of every class in the histogram except the collector's fillers, or null when the
     * text has no {@code Total} line (not a histogram). Fillers ({@code jdk.internal.vm.FillerObject}
     * and {@code FillerElement} arrays) are dead space that a collector formatted as objects, e.g.
     * Parallel GC's full GC leaves the dead objects of its uncompacted "dense prefix" that way; the
     * histogram lists them and counts them in its total, but nothing refers to them.
     */
    static Long liveBytes(String histogram) {
        long bytes = 0;
        boolean total = false;
        for (String line : histogram.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && f[0].equals(TOTAL)) total = true;
            if (f.length < 4 || !f[0].endsWith(":")) continue;
            if (f[3].contains(FILLER)) continue;
            try {
                bytes += Long.parseLong(f[2]);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return total ? bytes : null;
    }

    private static String head(String histogram) {
        String[] lines = histogram.split("\n");
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(KEPT_LINES, lines.length); i++) s.append(lines[i]).append('\n');
        for (String line : lines) if (line.trim().startsWith(TOTAL)) s.append(line).append('\n');
        return s.toString();
    }
}
