package dev.wsstudy.suite;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * run.json: everything needed to judge or repeat a run, and nothing that names the machine
 * (no hostname, no absolute paths). The git state comes from the {@code git} command; a checkout
 * without git records "unknown" rather than failing the run.
 */
final class RunInfo {
    private RunInfo() {}

    static ObjectNode collect(ObjectMapper json, Path root, Suite suite, Pinning pinning, String commandLine,
                              Instant started) {
        ObjectNode r = json.createObjectNode();
        r.put("suite", suite.name());
        r.put("commandLine", commandLine);
        r.put("startedAt", started.toString());
        r.putNull("endedAt");
        putGit(r, root);
        putJdk(r).put("sameJdkForServersAndLoadgen", true);
        r.set("serverJvmFlags", json.valueToTree(suite.serverJvmFlags()));
        r.set("loadgenJvmFlags", json.valueToTree(suite.loadgenJvmFlags()));
        putMachine(r);
        r.set("pinning", json.valueToTree(pinning));
        r.put("loadAverageAtStart", loadAverage());
        r.set("suiteDefinition", json.valueToTree(suite));
        return r;
    }

    /** git commit and dirty flag of the checkout at {@code root} ("unknown" / null without git). */
    static void putGit(ObjectNode r, Path root) {
        ObjectNode git = r.putObject("git");
        String commit = run(root, "git", "rev-parse", "HEAD");
        git.put("commit", commit == null ? "unknown" : commit.strip());
        String status = run(root, "git", "status", "--porcelain", "--untracked-files=no");
        if (status == null) {
            git.putNull("dirty");
        } else {
            git.put("dirty", !status.isBlank());
        }
        git.put("dirtyMeans", "tracked files differ from the commit (untracked files such as results/ are ignored)");
    }

    /** The JDK this process runs on (the launcher uses the same one for every JVM of a run). */
    static ObjectNode putJdk(ObjectNode r) {
        ObjectNode jdk = r.putObject("jdk");
        jdk.put("vendor", System.getProperty("java.vendor"));
        jdk.put("version", System.getProperty("java.runtime.version"));
        jdk.put("vm", System.getProperty("java.vm.name"));
        return jdk;
    }

    /** OS, kernel, CPU model, cores and memory: what the numbers depend on, without the hostname. */
    static void putMachine(ObjectNode r) {
        ObjectNode os = r.putObject("os");
        os.put("name", osName());
        os.put("kernel", System.getProperty("os.version"));
        os.put("arch", System.getProperty("os.arch"));
        ObjectNode cpu = r.putObject("cpu");
        cpu.put("model", cpuModel());
        cpu.put("cores", Runtime.getRuntime().availableProcessors());
        cpu.put("memTotal", procField(Path.of("/proc/meminfo"), "MemTotal"));
    }

    /** /proc/loadavg as one string, or null off Linux. */
    static String loadAverage() {
        return read(Path.of("/proc/loadavg"));
    }

    static void finish(ObjectNode run, Instant ended, long trials, long failed, long bottleneck, long starved) {
        run.put("endedAt", ended.toString());
        run.put("loadAverageAtEnd", read(Path.of("/proc/loadavg")));
        ObjectNode c = run.putObject("counts");
        c.put("trials", trials);
        c.put("failed", failed);
        c.put("loadgenBottleneck", bottleneck);
        c.put("serverStarved", starved);
    }

    static String cpuModel() {
        String m = procField(Path.of("/proc/cpuinfo"), "model name");
        return m == null ? System.getProperty("os.arch") : m;
    }

    private static String osName() {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith("PRETTY_NAME=")) {
                    return line.substring("PRETTY_NAME=".length()).replace("\"", "");
                }
            }
        } catch (IOException e) {
            // not Linux or no os-release: fall back to the JVM's name
        }
        return System.getProperty("os.name");
    }

    /** The first "key : value" line of a /proc file, or null. */
    static String procField(Path file, String key) {
        String text = read(file);
        if (text == null) {
            return null;
        }
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equals(key)) {
                return line.substring(colon + 1).strip();
            }
        }
        return null;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            return null;
        }
    }

    /** Output of a short command in {@code dir}, or null when it cannot run or fails. */
    /** The first non-blank line a command prints (e.g. its version), or null when it cannot run or fails. */
    static String firstLine(String... cmd) {
        String out = run(Path.of("."), cmd);
        return out == null ? null : out.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse(null);
    }

    static String run(Path dir, String... cmd) {
        try {
            Process p = new ProcessBuilder(List.of(cmd)).directory(dir.toFile()).redirectErrorStream(false)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
