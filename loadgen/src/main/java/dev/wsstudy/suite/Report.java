package dev.wsstudy.suite;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * report.md: the headline figures, the flagged cells (listed before any table, so nobody quotes a
 * number from a failed or generator-limited cell by accident), one side-by-side table per scenario
 * (median over trials, min–max in brackets), and the conditions the numbers were taken under.
 */
final class Report {
    static final String FAILED_MARK = "✗";
    static final String BOTTLENECK_MARK = "†";
    static final String STARVED_MARK = "‡";

    private final Suite suite;
    private final List<CellStats> cells;
    private final JsonNode run;
    private final List<String> targets;

    Report(Suite suite, List<TrialResult> results, JsonNode run) {
        this.suite = suite;
        this.cells = CellStats.group(results);
        this.run = run;
        this.targets = suite.targetNames();
    }

    String markdown(String runName) {
        return "# wsstudy suite `" + suite.name() + "`: " + runName + "\n\n"
                + counts() + "\n\n" + busyWarning() + headline() + "\n" + vsPeers() + flagged() + "\n" + tables() + "\n"
                + conditions();
    }

    /** What the suite prints when it ends: the headline, the flags, then the side-by-side tables. */
    String console() {
        return busyWarning() + headline() + "\n" + vsPeers() + flagged() + "\n" + tables();
    }

    /** Issue 3's comparison with the reference peers (docs/results-format.md); empty when the suite has none. */
    String vsPeers() {
        if (suite.peers().isEmpty()) {
            return "";
        }
        return new PeerComparison(cells).markdown(suite.servers(), suite.peers().stream().map(Suite.Peer::name).toList())
                + "\n";
    }

    /**
     * Other work on the machine takes CPU from the pinned server and loadgen; a 1-minute load
     * average above half the cores when the run started means the numbers carry that noise.
     */
    String busyWarning() {
        String load = run.path("loadAverageAtStart").asText("");
        int cores = run.path("cpu").path("cores").asInt(0);
        try {
            double one = Double.parseDouble(load.split(" ")[0]);
            if (cores > 0 && one > cores / 2.0) {
                return String.format(Locale.ROOT, "**Busy machine:** the load average was %.1f on %d cores when"
                        + " the run started; other processes competed for the CPUs, so treat these numbers as noisy.%n%n",
                        one, cores);
            }
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            // no /proc/loadavg: nothing to warn about
        }
        return "";
    }

    private String counts() {
        long trials = cells.stream().mapToLong(c -> c.trials().size()).sum();
        long failed = cells.stream().mapToLong(CellStats::failedTrials).sum();
        long bottleneck = cells.stream().mapToLong(CellStats::bottleneckTrials).sum();
        long starved = cells.stream().mapToLong(CellStats::starvedTrials).sum();
        return String.format(Locale.ROOT, "%d cells, %d trials: %d failed, %d loadgen-bottleneck, %d server-starved.",
                cells.size(), trials, failed, bottleneck, starved);
    }

    String headline() {
        List<Headline.Figure> echo = Headline.echoRate(cells, targets);
        List<Headline.Figure> bc = Headline.broadcastClients(cells, targets);
        MarkdownTable t = new MarkdownTable(List.of("server", "max echo rate with p99 ≤ 10 ms",
                "most broadcast clients, 95% within 500 ms"));
        for (int i = 0; i < targets.size(); i++) {
            t.row(List.of(targets.get(i), figure(echo.get(i), " msg/s"), figure(bc.get(i), " clients")));
        }
        return "## Headline\n\n" + t.render() + "\nFrom headline.json; each figure names its cell. Criteria: "
                + "median over trials; a cell with a failed trial never counts. A loadgen-bottleneck or server-starved"
                + " trial counts when its cell still meets the bar (latency runs from the intended send time, so such"
                + " trials can only overstate it); ≥ marks a lower bound: no miss was measured above it, or the next"
                + " miss was flagged.\n";
    }

    static String figure(Headline.Figure f, String unit) {
        if (!"reached".equals(f.status())) {
            return f.status();
        }
        return (f.lowerBound() ? "≥ " : "") + Metric.RATE.format(f.value()) + unit + " (" + f.source().key().cell() + ")";
    }

    String flagged() {
        StringBuilder sb = new StringBuilder("## Flagged cells\n\n");
        // Failed cells first: they are the ones with no numbers at all.
        List<CellStats> flagged = new ArrayList<>(cells.stream().filter(c -> c.failedTrials() > 0).toList());
        flagged.addAll(cells.stream().filter(c -> c.failedTrials() == 0 && c.bottleneckTrials() > 0).toList());
        flagged.addAll(cells.stream().filter(c -> c.failedTrials() == 0 && c.bottleneckTrials() == 0 && c.starvedTrials() > 0).toList());
        if (flagged.isEmpty()) {
            return sb.append("None: every trial completed, the load generator kept up and no server was starved of CPU.\n").toString();
        }
        for (CellStats c : flagged) {
            String kind = c.failedTrials() > 0 ? "**FAILED** " + FAILED_MARK
                    : c.bottleneckTrials() > 0 ? "**LOADGEN-BOTTLENECK** " + BOTTLENECK_MARK
                    : "**SERVER-STARVED** " + STARVED_MARK;
            sb.append("- ").append(kind).append(" `").append(c.dir()).append("`: ").append(c.flagText()).append('\n');
        }
        return sb.toString();
    }

    String tables() {
        StringBuilder sb = new StringBuilder();
        for (Suite.Scenario sc : suite.scenarios()) {
            sb.append(table(sc)).append('\n');
        }
        return sb.toString();
    }

    private String table(Suite.Scenario sc) {
        List<CellStats> mine = cells.stream().filter(c -> c.key().scenario().equals(sc.name())).toList();
        Set<String> labels = new LinkedHashSet<>();
        mine.forEach(c -> labels.add(c.key().cell()));
        List<String> header = new ArrayList<>(List.of("cell", "metric"));
        header.addAll(targets);
        MarkdownTable t = new MarkdownTable(header, 2);
        for (String label : labels) {
            boolean first = true;
            for (Metric m : sc.metricList()) {
                List<String> row = new ArrayList<>(List.of(first ? label : "", m.labelWithUnit()));
                for (String target : targets) {
                    row.add(entry(mine, target, label, m));
                }
                t.row(row);
                first = false;
            }
        }
        String extra = sc.serverArgs().isEmpty() ? "" : "; server " + String.join(" ", sc.serverArgs());
        return String.format(Locale.ROOT, "## %s%n%n`%s` on `%s`, %d trial%s, warm-up %d s, measured %d s%s."
                        + " Median over trials (min–max); %s = a trial failed, %s = loadgen-bottleneck,"
                        + " %s = server-starved.%n%n",
                sc.name(), sc.type(), sc.path(), sc.trials(), sc.trials() == 1 ? "" : "s", sc.warmupS(),
                sc.durationS(), extra, FAILED_MARK, BOTTLENECK_MARK, STARVED_MARK)
                + (t.isEmpty() ? "(no cells ran)\n" : t.render());
    }

    private static String entry(List<CellStats> cells, String target, String label, Metric m) {
        CellStats c = cells.stream().filter(x -> x.key().server().equals(target) && x.key().cell().equals(label))
                .findFirst().orElse(null);
        if (c == null) {
            return "–";
        }
        if (c.allFailed()) {
            return "failed " + FAILED_MARK;
        }
        String v = c.stat(m).format(m);
        if (c.failedTrials() > 0) {
            v += " " + FAILED_MARK;
        }
        if (c.bottleneckTrials() > 0) {
            v += " " + BOTTLENECK_MARK;
        }
        if (c.starvedTrials() > 0) {
            v += " " + STARVED_MARK;
        }
        return v;
    }

    String conditions() {
        JsonNode pin = run.path("pinning");
        StringBuilder sb = new StringBuilder("## Conditions\n\n");
        sb.append("- CPU: ").append(run.path("cpu").path("model").asText("?")).append(", ")
                .append(run.path("cpu").path("cores").asText("?")).append(" cores; ")
                .append(pin.path("description").asText("?")).append('\n');
        sb.append("- JDK: ").append(run.path("jdk").path("vendor").asText("?")).append(' ')
                .append(run.path("jdk").path("version").asText("?")).append("; OS: ")
                .append(run.path("os").path("name").asText("?")).append(", kernel ")
                .append(run.path("os").path("kernel").asText("?")).append('\n');
        sb.append("- server JVM flags (identical for every server").append(suite.peers().isEmpty() ? ""
                : " and every Java peer, via WSSTUDY_JVM_FLAGS").append("): `")
                .append(String.join(" ", suite.serverJvmFlags())).append("`\n");
        if (!suite.peers().isEmpty()) {
            sb.append("- peers (peers/README.md): ").append(String.join("; ", suite.peers().stream()
                    .map(p -> p.name() + " = peers/" + p.peer() + "/run" + (p.args().isEmpty() ? "" : " " + String.join(" ", p.args())))
                    .toList())).append("; pinned like the servers; no /stats, so its values are n/a\n");
        }
        sb.append("- loadgen JVM flags: `").append(String.join(" ", suite.loadgenJvmFlags())).append("`\n");
        sb.append("- trials, warm-up and measured duration: in each scenario's heading above\n");
        sb.append("- load average (1, 5, 15 min) at start: ").append(run.path("loadAverageAtStart").asText("?"))
                .append("; at end: ").append(run.path("loadAverageAtEnd").asText("?")).append('\n');
        String jitter = JitterBaseline.describe(run.get("machineJitter"));
        if (jitter != null) {
            sb.append("- ").append(jitter).append(" (the floor under every latency here: docs/loadgen.md)\n");
        }
        sb.append("- git commit: ").append(run.path("git").path("commit").asText("?"))
                .append(run.path("git").path("dirty").asBoolean(false) ? " (with uncommitted changes)" : "")
                .append('\n');
        sb.append("- started ").append(run.path("startedAt").asText("?")).append(", ended ")
                .append(run.path("endedAt").asText("?")).append("; command: `")
                .append(run.path("commandLine").asText("?")).append("`\n");
        return sb.toString();
    }
}
