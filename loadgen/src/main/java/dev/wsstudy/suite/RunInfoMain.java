package dev.wsstudy.suite;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * A run folder with the suite's run.json for runs made by other tools (the JMH microbenchmarks):
 * {@code start} creates {@code results/<UTC time>-<name>/} exactly as the suite names its folders
 * and writes run.json (git, JDK, OS, CPU, command line, start time, no hostname) before the tool
 * runs, so a killed run still says what it was; {@code finish} adds the end time and exit code.
 * Shell scripts call it, so the metadata code exists once: {@link RunInfo}.
 */
@Command(name = "run-info", mixinStandardHelpOptions = true,
        subcommands = {RunInfoMain.Start.class, RunInfoMain.Finish.class},
        description = "Creates a run folder with run.json for a tool run (e.g. JMH), and completes it afterwards.")
public final class RunInfoMain {

    public static void main(String[] args) {
        System.exit(new CommandLine(new RunInfoMain()).execute(args));
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Creates <results-dir>/<UTC yyyyMMdd'T'HHmmss'Z'>-<name>/run.json and prints the folder.")
    static final class Start implements Callable<Integer> {
        @Option(names = "--name", required = true, paramLabel = "NAME", description = "folder suffix, e.g. jmh-short")
        String name;

        @Option(names = "--kind", required = true, paramLabel = "KIND", description = "what made the run, e.g. jmh")
        String kind;

        @Option(names = "--results-dir", paramLabel = "DIR", description = "where run folders go (default: results/)")
        Path resultsDir;

        @Option(names = "--command-line", paramLabel = "TEXT", description = "the command as the user typed it")
        String commandLine = "";

        @Option(names = "--jvm-flags", paramLabel = "TEXT", description = "flags of the measured JVMs (space-separated)")
        String jvmFlags = "";

        @Parameters(paramLabel = "TOOL_ARG", description = "after --: the arguments the tool runs with, kept verbatim")
        List<String> toolArgs = new ArrayList<>();

        @Option(names = "--field", paramLabel = "KEY=VALUE", description = "extra top-level string fields")
        Map<String, String> fields = Map.of();

        @Override
        public Integer call() throws IOException {
            Path root = RepoRoot.find();
            Instant started = Instant.now();
            RunFolder folder = RunFolder.create(resultsDir != null ? resultsDir : root.resolve("results"), name, started);
            ObjectNode r = RunFolder.JSON.createObjectNode();
            r.put("kind", kind);
            r.put("name", name);
            fields.forEach(r::put);
            r.put("commandLine", commandLine);
            r.put("startedAt", started.toString());
            r.putNull("endedAt");
            RunInfo.putGit(r, root);
            RunInfo.putJdk(r);
            r.set("jvmFlags", RunFolder.JSON.valueToTree(words(jvmFlags)));
            r.set("toolArgs", RunFolder.JSON.valueToTree(toolArgs));
            RunInfo.putMachine(r);
            r.put("loadAverageAtStart", RunInfo.loadAverage());
            folder.writeRunJson(r);
            System.out.println(folder.dir.toAbsolutePath());
            return 0;
        }
    }

    @Command(name = "finish", mixinStandardHelpOptions = true,
            description = "Adds endedAt, exitCode and loadAverageAtEnd to DIR/run.json.")
    static final class Finish implements Callable<Integer> {
        @Option(names = "--dir", required = true, paramLabel = "DIR", description = "the run folder")
        Path dir;

        @Option(names = "--exit-code", required = true, paramLabel = "N", description = "the tool's exit code")
        int exitCode;

        @Override
        public Integer call() throws IOException {
            Path file = dir.resolve("run.json");
            if (!Files.isRegularFile(file)) {
                System.err.println("run-info finish: no run.json in " + dir);
                return 2;
            }
            ObjectNode r = (ObjectNode) RunFolder.JSON.readTree(file.toFile());
            r.put("endedAt", Instant.now().toString());
            r.put("exitCode", exitCode);
            r.put("loadAverageAtEnd", RunInfo.loadAverage());
            new RunFolder(dir).writeRunJson(r);
            return 0;
        }
    }

    static List<String> words(String text) {
        return new ArrayList<>(Arrays.stream(text.strip().split("\\s+")).filter(w -> !w.isEmpty()).toList());
    }
}
