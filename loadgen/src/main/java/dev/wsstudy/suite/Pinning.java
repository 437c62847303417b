package dev.wsstudy.suite;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU pinning: with two or more CPUs the server runs on CPU 1 and the loadgen on CPU 0 (via
 * {@code taskset}, which execs the JVM, so the pid we hold is the JVM's), so neither steals the
 * other's cycles and the server's CPU per message is its own. With one CPU, no taskset, or
 * {@code --no-pin}, both run unpinned, and run.json and the report say so.
 */
record Pinning(boolean enabled, String serverCpus, String loadgenCpus, String description) {

    static Pinning detect(boolean wanted, int cpus) {
        if (!wanted) {
            return new Pinning(false, null, null, "no CPU pinning (--no-pin)");
        }
        if (cpus < 2) {
            return new Pinning(false, null, null, "no CPU pinning (only " + cpus + " CPU available)");
        }
        if (findOnPath("taskset") == null) {
            return new Pinning(false, null, null, "no CPU pinning (taskset not found; install util-linux)");
        }
        return new Pinning(true, "1", "0", "server pinned to CPU 1, loadgen to CPU 0 (taskset -c)");
    }

    List<String> serverPrefix() {
        return enabled ? List.of("taskset", "-c", serverCpus) : List.of();
    }

    List<String> loadgenPrefix() {
        return enabled ? List.of("taskset", "-c", loadgenCpus) : List.of();
    }

    static Path findOnPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, exe);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
