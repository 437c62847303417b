package dev.wsstudy.suite;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The two headline figures (issue 4), per server, each with the cell it comes from:
 * <ul>
 *   <li>echo: the highest constant offered rate (echo-rate sweep) whose median corrected p99 is at
 *       most 10 ms, with no errors and at least 90% of the offered rate achieved (so a server that
 *       drops messages cannot win on latency);</li>
 *   <li>broadcast: the most clients (broadcast sweep) with a median of at least 95% of broadcasts
 *       reaching every member within 500 ms; one server, so cluster cells (several targets) do not count.</li>
 * </ul>
 * A cell with a failed trial never counts (its median leaves a trial out). A loadgen-bottleneck or
 * server-starved trial counts when the cell still meets the bar: latency is timed from each
 * message's intended send time, so a generator that was late or short of CPU, or a server that other
 * processes held off its CPU, can only add latency, never hide it; meeting the bar in spite of that
 * is meeting it. The same flags on a cell that misses the bar make that miss unproven: the figure is
 * then marked as a lower bound ({@link Figure#lowerBound}), as it is when the sweep never reached a
 * miss. A server whose cells all miss is "not reached", or "inconclusive" when the lowest miss is
 * flagged; "not measured" when it has no such cells with numbers.
 */
final class Headline {
    static final double P99_LIMIT_US = 10_000;
    static final double MIN_ACHIEVED_FRACTION = 0.9;
    static final double WITHIN_500MS_MIN_PCT = 95;

    private Headline() {}

    /**
     * One figure for one server. value is NaN unless status is "reached"; lowerBound: the server's
     * limit may lie higher (no miss measured above the figure, or the next miss was flagged).
     */
    record Figure(String server, String status, double value, CellStats source, CellStats nextFailing, String note,
                  boolean lowerBound) {}

    static List<Figure> echoRate(List<CellStats> cells, List<String> servers) {
        return best(cells, servers, "echo-rate", "offeredRate", Headline::echoBar);
    }

    static List<Figure> broadcastClients(List<CellStats> cells, List<String> servers) {
        return best(cells, servers, "broadcast", "connections", Headline::broadcastBar);
    }

    /** The echo bar, flags aside: p99, no errors, the offered rate achieved. */
    static boolean echoBar(CellStats c) {
        double offered = c.stat("offeredRate").median();
        double achieved = c.stat(Metric.RATE).median();
        double errors = c.stat(Metric.ERRORS).median();
        return c.stat(Metric.P99).median() <= P99_LIMIT_US
                && (Double.isNaN(errors) || errors == 0)
                && achieved >= MIN_ACHIEVED_FRACTION * offered;
    }

    static boolean broadcastBar(CellStats c) {
        return c.stat(Metric.WITHIN_500MS).median() >= WITHIN_500MS_MIN_PCT;
    }

    private static List<Figure> best(List<CellStats> cells, List<String> servers, String type, String axis,
                                     Predicate<CellStats> bar) {
        Predicate<CellStats> meets = c -> c.failedTrials() == 0 && bar.test(c);
        List<Figure> out = new ArrayList<>();
        for (String server : servers) {
            // this server's own cells of the scenario; a cluster's figure is not one server's
            List<CellStats> all = cells.stream()
                    .filter(c -> c.scenarioType().equals(type) && c.key().server().equals(server) && !c.severalTargets())
                    .toList();
            List<CellStats> mine = all.stream()
                    .filter(c -> c.stat(axis).present())
                    .sorted(Comparator.comparingDouble(c -> c.stat(axis).median()))
                    .toList();
            long failedCells = all.size() - mine.size();
            if (mine.isEmpty()) {
                out.add(new Figure(server, "not measured", Double.NaN, null, null,
                        failedCells > 0 ? failedCells + " " + type + " cells failed" : "no " + type + " cells", false));
                continue;
            }
            CellStats bestCell = null;
            for (CellStats c : mine) {
                if (meets.test(c)) {
                    bestCell = c;
                }
            }
            if (bestCell == null) {
                CellStats lowest = mine.get(0);
                out.add(lowest.flagged()
                        ? new Figure(server, "inconclusive", Double.NaN, null, lowest,
                                "missed at the lowest " + axis + " tried, where a trial was flagged: " + lowest.flagText(), false)
                        : new Figure(server, "not reached", Double.NaN, null, lowest,
                                "not met even at the lowest " + axis + " tried", false));
                continue;
            }
            double v = bestCell.stat(axis).median();
            CellStats next = mine.stream().filter(c -> c.stat(axis).median() > v && !meets.test(c)).findFirst()
                    .orElse(null);
            String note = next == null ? "met at every " + axis + " tried up to this one; the sweep may stop short"
                    : "not met at " + Metric.trim(next.stat(axis).median())
                    + (next.flagged() ? ", where a trial was flagged (" + next.flagText() + "): the limit may lie higher" : "");
            out.add(new Figure(server, "reached", v, bestCell, next, note, next == null || next.flagged()));
        }
        return out;
    }

    static ObjectNode toJson(ObjectMapper json, List<CellStats> cells, List<String> servers) {
        ObjectNode root = json.createObjectNode();
        ObjectNode crit = root.putObject("criteria");
        crit.put("echoRate", String.format(Locale.ROOT, "highest offered rate (echo-rate) with median corrected p99"
                + " <= %.0f us, no errors, achieved >= %.0f%% of offered, no failed trial (loadgen-bottleneck and server-starved"
                + " trials count: they can only add latency)",
                P99_LIMIT_US, MIN_ACHIEVED_FRACTION * 100));
        crit.put("broadcastClients", String.format(Locale.ROOT, "most connections (broadcast) with median"
                + " delivery.within500msPct >= %.0f, no failed trial (loadgen-bottleneck and server-starved trials count: they"
                + " can only add latency)", WITHIN_500MS_MIN_PCT));
        write(root.putObject("echoRate"), echoRate(cells, servers));
        write(root.putObject("broadcastClients"), broadcastClients(cells, servers));
        return root;
    }

    private static void write(ObjectNode into, List<Figure> figures) {
        for (Figure f : figures) {
            ObjectNode o = into.putObject(f.server());
            o.put("status", f.status());
            o.put("lowerBound", f.lowerBound());
            if (!Double.isNaN(f.value())) {
                o.put("value", f.value());
            } else {
                o.putNull("value");
            }
            if (f.source() != null) {
                o.set("cell", cellRef(o, f.source()));
            }
            if (f.nextFailing() != null) {
                String field = f.source() != null ? "nextFailingCell"
                        : "inconclusive".equals(f.status()) ? "flaggedCell" : "lowestCell";
                o.set(field, cellRef(o, f.nextFailing()));
            }
            o.put("note", f.note());
        }
    }

    private static ObjectNode cellRef(ObjectNode factory, CellStats c) {
        ObjectNode r = factory.objectNode();
        r.put("scenario", c.key().scenario());
        r.put("cell", c.key().cell());
        r.put("dir", c.dir());
        r.put("trials", c.trials().size());
        for (Metric m : List.of(Metric.RATE, Metric.P50, Metric.P99, Metric.P999, Metric.WITHIN_500MS, Metric.LOST,
                Metric.CPU)) {
            CellStats.Stat s = c.stat(m);
            if (s.present()) {
                r.put(m.column + ".median", s.median());
            }
        }
        CellStats.Stat offered = c.stat("offeredRate");
        if (offered.present()) {
            r.put("offeredRate", offered.median());
        }
        CellStats.Stat conns = c.stat("connections");
        if (conns.present()) {
            r.put("connections", conns.median());
        }
        return r;
    }
}
