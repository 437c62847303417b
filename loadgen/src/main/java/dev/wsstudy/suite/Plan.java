package dev.wsstudy.suite;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The suite expanded into what will run, in order: scenario by scenario, and within a scenario
 * server by server, so the servers compared in one table are measured minutes apart, not an hour.
 * Each {@link ServerRun} is one server process (or one external target); a scenario with
 * {@code restart: cell} gets one ServerRun per cell. The estimate uses planned durations plus
 * measured per-process overheads on this machine.
 */
record Plan(Suite suite, List<ServerRun> runs, List<String> skipped) {

    /**
     * Loadgen JVM start, connection set-up, drain, /stats and summary writing: seconds on top of
     * warm-up + duration (measured 2–3.5 s per trial on the 2-core machine, idle to busy).
     */
    static final double LOADGEN_OVERHEAD_S = 3.0;
    /** Server JVM start, /health, verification, SIGTERM and exit (measured 1–3 s). */
    static final double SERVER_OVERHEAD_S = 2.5;
    /** A cluster run: redis-server start and stop on top of one server overhead per node. */
    static final double REDIS_OVERHEAD_S = 1.0;
    /** Verification of an external target (no process to start). */
    static final double EXTERNAL_OVERHEAD_S = 0.5;

    /** One cell of a scenario's matrix: its folder label and the loadgen options it adds. */
    record Cell(Suite.Scenario scenario, String label, List<String> loadgenArgs) {
        double trialSeconds() {
            return scenario.warmupS() + scenario.durationS() + LOADGEN_OVERHEAD_S;
        }
    }

    /** One process to start and measure: ours ({@code peer} and {@code externalUrl} null), a peer, or an external URL. */
    record ServerRun(String target, String externalUrl, Suite.Peer peer, Suite.Scenario scenario, List<Cell> cells) {
        ServerRun(String target, String externalUrl, Suite.Scenario scenario, List<Cell> cells) {
            this(target, externalUrl, null, scenario, cells);
        }

        boolean external() {
            return externalUrl != null;
        }

        boolean isPeer() {
            return peer != null;
        }

        int trials() {
            return scenario.trials();
        }

        double estimateSeconds() {
            int nodes = scenario.clusterNodes();
            double s = external() ? EXTERNAL_OVERHEAD_S
                    : nodes > 0 ? nodes * SERVER_OVERHEAD_S + REDIS_OVERHEAD_S : SERVER_OVERHEAD_S;
            for (Cell c : cells) {
                s += c.trialSeconds() * trials();
            }
            return s;
        }
    }

    static Plan of(Suite suite) {
        List<ServerRun> runs = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Suite.Scenario sc : suite.scenarios()) {
            List<Cell> cells = cells(sc);
            for (String kind : suite.servers()) {
                if (sc.runsOn(kind)) {
                    addRuns(runs, kind, null, null, sc, cells);
                } else {
                    skipped.add(kind + " × " + sc.name() + " (the scenario runs on " + String.join(", ", sc.servers()) + " only)");
                }
            }
            for (Suite.Peer p : suite.peers()) {
                if (!sc.echoOnly()) {
                    skipped.add(p.name() + " × " + sc.name() + " (peers run echo scenarios only)");
                } else if (sc.runsOn(p.name())) {
                    addRuns(runs, p.name(), null, p, sc, cells);
                } else {
                    skipped.add(p.name() + " × " + sc.name() + " (the scenario runs on " + String.join(", ", sc.servers()) + " only)");
                }
            }
            for (Suite.External e : suite.external()) {
                if (sc.echoOnly()) {
                    addRuns(runs, e.name(), e.url(), null, sc, cells);
                } else {
                    skipped.add(e.name() + " × " + sc.name() + " (external targets run echo scenarios only)");
                }
            }
        }
        return new Plan(suite, List.copyOf(runs), List.copyOf(skipped));
    }

    private static void addRuns(List<ServerRun> runs, String target, String url, Suite.Peer peer, Suite.Scenario sc,
                                List<Cell> cells) {
        if (sc.restart() == Suite.Restart.cell && url == null) {
            cells.forEach(c -> runs.add(new ServerRun(target, null, peer, sc, List.of(c))));
        } else {
            runs.add(new ServerRun(target, url, peer, sc, cells));
        }
    }

    /** The cartesian product of the list-valued params, first param outermost. */
    static List<Cell> cells(Suite.Scenario sc) {
        List<Map<String, JsonNode>> combos = new ArrayList<>();
        combos.add(new LinkedHashMap<>());
        List<String> varying = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : sc.params().entrySet()) {
            List<JsonNode> values = new ArrayList<>();
            if (e.getValue().isArray()) {
                e.getValue().forEach(values::add);
                varying.add(e.getKey());
            } else {
                values.add(e.getValue());
            }
            List<Map<String, JsonNode>> next = new ArrayList<>();
            for (Map<String, JsonNode> c : combos) {
                for (JsonNode v : values) {
                    Map<String, JsonNode> m = new LinkedHashMap<>(c);
                    m.put(e.getKey(), v);
                    next.add(m);
                }
            }
            combos = next;
        }
        List<Cell> cells = new ArrayList<>();
        for (Map<String, JsonNode> c : combos) {
            List<String> args = new ArrayList<>();
            List<String> label = new ArrayList<>();
            c.forEach((k, v) -> {
                if (v.isBoolean()) {
                    if (v.asBoolean()) {
                        args.add("--" + k);
                    }
                } else {
                    args.add("--" + k);
                    args.add(v.asText());
                }
                if (varying.contains(k)) {
                    label.add(k + "=" + v.asText().replaceAll("[^A-Za-z0-9._-]", "_"));
                }
            });
            cells.add(new Cell(sc, label.isEmpty() ? "default" : String.join(",", label), List.copyOf(args)));
        }
        return cells;
    }

    int trialCount() {
        return runs.stream().mapToInt(r -> r.cells().size() * r.trials()).sum();
    }

    double estimateSeconds() {
        return jitterSeconds() + runs.stream().mapToDouble(ServerRun::estimateSeconds).sum();
    }

    /** The machine-jitter probe before the first cell (its CPUs probed at the same time). */
    double jitterSeconds() {
        return suite.machineJitterS() + JitterBaseline.OVERHEAD_S;
    }

    static String clock(double seconds) {
        long s = Math.round(Math.max(0, seconds));
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    /** What --dry-run prints, and what the run prints before it starts. */
    String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "suite %s: %d server processes/targets, %d trials, estimated %s%n",
                suite.name(), runs.size(), trialCount(), clock(estimateSeconds())));
        for (Suite.Scenario sc : suite.scenarios()) {
            List<Cell> cells = cells(sc);
            sb.append(String.format(Locale.ROOT, "  %s (%s %s%s, server restarted per %s): %d cell%s × %d trial%s"
                            + " × (%d s warm-up + %d s)%n", sc.name(), sc.type(), sc.path(),
                    sc.clusterNodes() > 0 ? ", " + sc.clusterNodes() + "-node cluster on redis-server" : "",
                    sc.restart(), cells.size(),
                    cells.size() == 1 ? "" : "s", sc.trials(), sc.trials() == 1 ? "" : "s", sc.warmupS(), sc.durationS()));
            for (Cell c : cells) {
                sb.append("      ").append(c.label()).append("  ").append(String.join(" ", c.loadgenArgs()))
                        .append(sc.serverArgs().isEmpty() ? "" : "  [server " + String.join(" ", sc.serverArgs()) + "]")
                        .append('\n');
            }
        }
        sb.append(String.format(Locale.ROOT, "  machine jitter: %d s of 1 ms sleeps on each pinned CPU before the first cell%n",
                suite.machineJitterS()));
        sb.append("  targets: ").append(String.join(", ", suite.targetNames())).append('\n');
        skipped.forEach(s -> sb.append("  skipped: ").append(s).append('\n'));
        return sb.toString();
    }
}
