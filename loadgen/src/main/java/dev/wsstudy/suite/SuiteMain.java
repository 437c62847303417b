package dev.wsstudy.suite;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./wsstudy suite [quick|full|FILE] [options]}: runs a benchmark suite into results/. */
@Command(name = "wsstudy suite", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs a benchmark suite: each server as its own pinned JVM, every cell of every scenario"
                + " through the load generator, several trials each; writes results/<UTC time>-<suite>/ and prints"
                + " the servers side by side. Built-in suites: quick (under 3 minutes), full (under an hour),"
                + " peers (ours beside reference servers, issue 3; about 12 minutes).")
public final class SuiteMain implements Callable<Integer> {
    @Parameters(index = "0", defaultValue = "quick", paramLabel = "SUITE",
            description = "quick, full, peers, or the path of a suite file (default: ${DEFAULT-VALUE})")
    String suiteName;

    @Option(names = "--servers", split = ",", paramLabel = "NAME",
            description = "only these targets, e.g. eventloop,threaded (peer and external names too)")
    List<String> servers;

    @Option(names = "--scenarios", split = ",", paramLabel = "NAME", description = "only these scenarios")
    List<String> scenarios;

    @Option(names = "--trials", paramLabel = "N", description = "trials per cell for every scenario")
    Integer trials;

    @Option(names = "--external", paramLabel = "NAME=URL",
            description = "also measure your own echo server, e.g. node=ws://127.0.0.1:9000/echo (echo scenarios)")
    List<String> external = new ArrayList<>();

    @Option(names = "--dry-run", description = "print the plan and the time estimate, run nothing")
    boolean dryRun;

    @Option(names = "--no-pin", description = "do not pin server and loadgen to separate CPUs")
    boolean noPin;

    @Option(names = "--results-dir", paramLabel = "DIR", description = "where run folders go (default: results/)")
    Path resultsDir;

    private String[] args = new String[0];

    public static void main(String[] args) {
        SuiteMain m = new SuiteMain();
        m.args = args;
        System.exit(new CommandLine(m).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path root;
        Suite suite;
        try {
            root = RepoRoot.find();
            suite = SuiteLoader.load(SuiteLoader.resolve(root, suiteName))
                    .withExternal(external.stream().map(SuiteLoader::external).toList())
                    .narrowed(servers, scenarios, trials);
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("wsstudy suite: " + e.getMessage());
            return 2;
        }
        Plan plan = Plan.of(suite);
        if (plan.trialCount() == 0) {
            System.err.println("wsstudy suite: nothing to run");
            System.err.print(plan.describe());
            return 2;
        }
        Pinning pinning = Pinning.detect(!noPin, Runtime.getRuntime().availableProcessors());
        if (dryRun) {
            System.out.print(plan.describe());
            System.out.println("  " + pinning.description());
            System.out.println("  server JVM flags: " + String.join(" ", suite.serverJvmFlags()));
            System.out.println("  loadgen JVM flags: " + String.join(" ", suite.loadgenJvmFlags()));
            return 0;
        }
        Path jar = RepoRoot.moduleJar(root, "loadgen");
        if (!Files.isRegularFile(jar)) {
            System.err.println("wsstudy suite: " + root.relativize(jar) + " is missing; run ./wsstudy build");
            return 2;
        }
        List<String> launcher = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        launcher.addAll(suite.loadgenJvmFlags());
        launcher.addAll(List.of("-jar", jar.toString()));
        SuiteRunner.Options options = new SuiteRunner.Options(root,
                resultsDir != null ? resultsDir.toAbsolutePath() : root.resolve("results"), pinning, launcher,
                "./wsstudy suite " + String.join(" ", args), System.out, System.err);
        SuiteRunner runner = new SuiteRunner(options);
        runner.run(plan);
        boolean nothingMeasured = runner.results().stream().allMatch(TrialResult::failed);
        return nothingMeasured ? 1 : 0;
    }
}
