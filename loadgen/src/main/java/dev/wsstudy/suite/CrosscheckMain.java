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

/**
 * {@code scripts/crosscheck.sh [server] [options]}: the loadgen against tsung on one server
 * (docs/crosscheck.md). Exit 0 when every criterion passes, 1 when one fails or could not be
 * measured, 2 for a bad command line or a missing prerequisite.
 */
@Command(name = "scripts/crosscheck.sh", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measures one server with the loadgen and with tsung (an independent WebSocket load client):"
                + " closed-loop echo and a moderate constant rate. Writes results/<UTC time>-crosscheck/ and prints"
                + " the comparison: throughput within 15%%, p50 and p99 within 25%%.")
public final class CrosscheckMain implements Callable<Integer> {
    @Parameters(index = "0", defaultValue = "virtual", paramLabel = "SERVER",
            description = "eventloop, threaded or virtual (default: ${DEFAULT-VALUE})")
    String server;

    @Option(names = "--connections", defaultValue = "50", description = "connections (default: ${DEFAULT-VALUE})")
    int connections;

    @Option(names = "--payload-bytes", defaultValue = "64", description = "message size (default: ${DEFAULT-VALUE})")
    int payloadBytes;

    @Option(names = "--rate", defaultValue = "500", description = "nominal moderate rate, msgs/s (default: ${DEFAULT-VALUE};"
            + " tsung sends on 1 ms timer ticks, so above about one message per ms it sends in bursts: docs/crosscheck.md)")
    double rate;

    @Option(names = "--warmup-s", defaultValue = "5", description = "warm-up seconds per measurement (default: ${DEFAULT-VALUE})")
    int warmupS;

    @Option(names = "--duration-s", defaultValue = "20", description = "measured seconds per measurement (default: ${DEFAULT-VALUE})")
    int durationS;

    @Option(names = "--trials", defaultValue = "3", description = "trials, each measuring both parts with both tools; the"
            + " verdict is on the median of the trials' ratios (default: ${DEFAULT-VALUE})")
    int trials;

    @Option(names = "--server-arg", paramLabel = "ARG",
            description = "repeatable: an option for the server in both parts (default: " + PACED_WORK + " on the threaded"
                    + " and virtual servers, a handler that waits 2 ms as for a database, so that the latency compared is"
                    + " the server's and not the clients' own; none on the event loop, where a blocking call stalls every"
                    + " connection; --server-arg= with nothing: none; docs/crosscheck.md)")
    List<String> serverArgs;

    /** Part (b)'s default server work on a thread-per-connection server (docs/crosscheck.md: why). */
    static final String PACED_WORK = "--work-block-ms=2";

    @Option(names = "--closed-server-arg", paramLabel = "ARG",
            description = "repeatable: a server option for the closed loop only, which then gets a server of its own"
                    + " (default: --work-cpu-us=50, so that the server, not a client, bounds the closed loop's"
                    + " throughput; --closed-server-arg= with nothing turns it off)")
    List<String> closedServerArgs;

    @Option(names = "--no-pin", description = "do not pin the server and the clients to separate CPUs")
    boolean noPin;

    @Option(names = "--tsung", defaultValue = "tsung", paramLabel = "CMD", description = "the tsung command (default: ${DEFAULT-VALUE})")
    String tsung;

    @Option(names = "--tsung-erl-flags", defaultValue = "", paramLabel = "FLAGS",
            description = "flags for tsung's Erlang VM (default: none, tsung as packaged), e.g. \"" + BUSY_WAIT
                    + "\" so that its schedulers spin before they sleep (measured: no clear effect; docs/crosscheck.md)")
    String tsungErlFlags;

    /** Erlang's scheduler busy-wait at its longest and wake-up threshold at its lowest (docs/crosscheck.md). */
    static final String BUSY_WAIT = "+sbwt very_long +sbwtdcpu very_long +sbwtdio very_long +swt very_low";

    @Option(names = "--tcpdump", defaultValue = "tcpdump", paramLabel = "CMD",
            description = "the tcpdump command, the third observer of the moderate-rate part (default: ${DEFAULT-VALUE})")
    String tcpdump;

    @Option(names = "--no-wire", description = "no tcpdump capture (the wire table is then left out)")
    boolean noWire;

    @Option(names = "--results-dir", paramLabel = "DIR", description = "where the run folder goes (default: results/)")
    Path resultsDir;

    private String[] args = new String[0];

    public static void main(String[] args) {
        CrosscheckMain m = new CrosscheckMain();
        m.args = args;
        System.exit(new CommandLine(m).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        String kind = Suite.canonicalKind(server);
        if (!Suite.KINDS.contains(kind)) {
            return usage("unknown server '" + server + "' (eventloop, threaded, virtual)");
        }
        if (connections < 1 || payloadBytes < 24 || rate <= 0 || warmupS < 1 || durationS < 1 || trials < 1) {
            return usage("need --connections >= 1, --payload-bytes >= 24 (the loadgen's minimum), --rate > 0,"
                    + " --warmup-s >= 1, --duration-s >= 1, --trials >= 1");
        }
        if (Tsung.version(tsung) == null) {
            return usage("tsung not found ('" + tsung + " -v' failed); scripts/crosscheck.sh installs it"
                    + " (Debian package tsung)");
        }
        if (!noWire && WireCapture.version(tcpdump) == null) {
            return usage("tcpdump not found ('" + tcpdump + " --version' failed); scripts/crosscheck.sh installs it"
                    + " (Debian package tcpdump), or pass --no-wire");
        }
        Path root = RepoRoot.find();
        Path jar = RepoRoot.moduleJar(root, "loadgen");
        if (!Files.isRegularFile(jar)) {
            return usage(root.relativize(jar) + " is missing; run ./wsstudy build");
        }
        List<String> launcher = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        Crosscheck probe = new Crosscheck(options(root, kind, List.of()));
        launcher.addAll(probe.suite(rate).loadgenJvmFlags());
        launcher.addAll(List.of("-jar", jar.toString()));
        Crosscheck cc = new Crosscheck(options(root, kind, launcher));
        CrosscheckReport report = cc.run();
        System.out.println();
        System.out.print(Files.readString(cc.dir().resolve("crosscheck.md")));
        System.out.println("\nwritten: " + root.relativize(cc.dir()));
        return report.allPass() ? 0 : 1;
    }

    private Crosscheck.Options options(Path root, String kind, List<String> launcher) {
        return new Crosscheck.Options(root, resultsDir != null ? resultsDir.toAbsolutePath() : root.resolve("results"),
                Pinning.detect(!noPin, Runtime.getRuntime().availableProcessors()), launcher, tsung, kind,
                serverArgs(kind).stream().filter(a -> !a.isBlank()).toList(),
                closedServerArgs().stream().filter(a -> !a.isBlank()).toList(), connections,
                payloadBytes, warmupS, durationS, rate, "scripts/crosscheck.sh " + String.join(" ", args), System.out,
                noWire ? null : tcpdump, trials, tsungErlFlags);
    }

    /** The server options of both parts: the default when none was given. */
    List<String> serverArgs(String kind) {
        if (serverArgs != null) return serverArgs;
        return "eventloop".equals(kind) ? List.of() : List.of(PACED_WORK);
    }

    /** The closed loop's own server options: the default when none was given. */
    private List<String> closedServerArgs() {
        return closedServerArgs == null ? List.of("--work-cpu-us=50") : closedServerArgs;
    }

    private static int usage(String message) {
        System.err.println("crosscheck: " + message);
        return 2;
    }
}
