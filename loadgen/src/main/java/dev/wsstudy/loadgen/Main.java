package dev.wsstudy.loadgen;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The load generator's command line: {@code run} measures one scenario, {@code worker} is the
 * internal subcommand a {@code run --workers K} spawns K-1 times (one JVM each, to spread
 * connections over processes: open files are capped per process).
 */
@Command(name = "loadgen", mixinStandardHelpOptions = true, version = "wsstudy loadgen 0.1",
        description = {
            "WebSocket load generator (Netty client, HdrHistogram latency, coordinated-omission corrected).",
            "Scenarios: " + "echo-closed, echo-rate, broadcast, idle-connections, churn, blocking-handler,"
                    + " slow-consumer, large-messages.",
            "Output files: see docs/results-format.md."},
        subcommands = {RunCommand.class, WorkerCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        // Leak detection samples buffers and captures stack traces: a measurement cost. Tests keep it.
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.DISABLED);
        }
        System.exit(execute(args));
    }

    /** Runs the command line without exiting (tests call this). */
    public static int execute(String... args) {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    }
}
