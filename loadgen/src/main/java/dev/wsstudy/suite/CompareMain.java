package dev.wsstudy.suite;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./wsstudy compare RUN_A RUN_B [--out FILE]}: two result folders, cell by cell. */
@Command(name = "wsstudy compare", mixinStandardHelpOptions = true,
        description = "Matches the cells of two suite runs and prints throughput, p50, p99 and server CPU per"
                + " message side by side with the change, and whether it exceeds the spread between trials.")
public final class CompareMain implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_A", description = "result folder (or its name under results/)")
    String runA;

    @Parameters(index = "1", paramLabel = "RUN_B", description = "result folder (or its name under results/)")
    String runB;

    @Option(names = "--out", paramLabel = "FILE", description = "also write the comparison as markdown")
    Path out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new CompareMain()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        Path a;
        Path b;
        List<TrialResult> ta;
        List<TrialResult> tb;
        try {
            a = locate(runA);
            b = locate(runB);
            ta = RunFolder.readSummaryCsv(a);
            tb = RunFolder.readSummaryCsv(b);
        } catch (IllegalArgumentException e) {
            System.err.println("wsstudy compare: " + e.getMessage());
            return 2;
        }
        String md = new Comparison(ta, tb).markdown(a.getFileName().toString(), b.getFileName().toString())
                + conditions(a, b);
        System.out.print(md);
        if (out != null) {
            Files.writeString(out, md);
            System.out.println("Written to " + out);
        }
        return 0;
    }

    /** A path as given, else a folder of that name under results/. */
    static Path locate(String run) {
        Path p = Path.of(run);
        if (Files.isDirectory(p)) {
            return p;
        }
        try {
            Path inResults = RepoRoot.find().resolve("results").resolve(run);
            if (Files.isDirectory(inResults)) {
                return inResults;
            }
        } catch (IllegalStateException e) {
            // not inside a checkout: only plain paths work
        }
        throw new IllegalArgumentException(run + ": no such result folder");
    }

    /** The conditions that differ between the runs, since a change may come from them, not the code. */
    static String conditions(Path a, Path b) throws IOException {
        JsonNode ra = readRun(a);
        JsonNode rb = readRun(b);
        StringBuilder sb = new StringBuilder();
        for (String f : List.of("/git/commit", "/git/dirty", "/jdk/version", "/cpu/model", "/cpu/cores",
                "/pinning/description", "/serverJvmFlags", "/loadgenJvmFlags", "/os/kernel")) {
            String va = ra.at(f).toString();
            String vb = rb.at(f).toString();
            if (!va.equals(vb)) {
                sb.append("- ").append(f.substring(1).replace('/', '.')).append(": A ").append(va).append(", B ")
                        .append(vb).append('\n');
            }
        }
        return sb.isEmpty() ? "Conditions (commit, JDK, CPU, pinning, JVM flags, kernel): the same.\n"
                : "Conditions that differ:\n" + sb;
    }

    private static JsonNode readRun(Path dir) throws IOException {
        Path f = dir.resolve("run.json");
        return Files.isRegularFile(f) ? RunFolder.JSON.readTree(f.toFile()) : RunFolder.JSON.createObjectNode();
    }
}
