package dev.wsstudy.suite;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Issue 3 sets targets against reference peers "measured on this machine ... compare in one run, as
 * ratios". This turns one run's cells into those ratios (our server's median over trials divided by
 * the peer's) and judges each target PASS or MISS from them; nothing here is a stored result.
 *
 * <p>Which cells: throughput and CPU come from an echo-closed cell, preferably the one with issue
 * 3's conditions (50 connections, one message in flight, 64-byte binary messages); idle memory from
 * an idle-connections cell. A ratio needs both sides measured in the same scenario and cell. A
 * verdict from a flagged cell carries the report's mark for why ({@link #mark}): it is still this
 * run's comparison, but not a clean one.
 */
final class PeerComparison {
    static final String THROUGHPUT_TYPE = "echo-closed";
    static final String IDLE_TYPE = "idle-connections";

    /**
     * One target: {@code ours}'s metric divided by {@code peer}'s (or, when peer is null, ours alone)
     * must be at least / at most {@code bound}.
     */
    record Target(String ours, String peer, Metric metric, String scenarioType, boolean atLeast, double bound) {
        String claim() {
            String what = peer == null ? ours + " " + metric.label : ours + " " + metric.label + " ÷ " + peer + "'s";
            return what + (atLeast ? " ≥ " : " ≤ ") + java.math.BigDecimal.valueOf(bound).stripTrailingZeros().toPlainString();
        }
    }

    /** Issue 3's targets, as written there. */
    static final List<Target> ISSUE_3 = List.of(
            new Target("eventloop", "netty-epoll", Metric.RATE, THROUGHPUT_TYPE, true, 1.0),
            new Target("eventloop", "netty-epoll", Metric.CPU, THROUGHPUT_TYPE, false, 1.0),
            new Target("eventloop", "node-ws", Metric.RATE, THROUGHPUT_TYPE, true, 1.5),
            new Target("virtualthread", "gorilla", Metric.RATE, THROUGHPUT_TYPE, true, 1.0),
            new Target("eventloop", null, Metric.RSS_PER_CONNECTION, IDLE_TYPE, false, 4),
            new Target("virtualthread", null, Metric.RSS_PER_CONNECTION, IDLE_TYPE, false, 8));

    /** The ratios the matrix shows, ours ÷ peer. */
    static final List<Metric> RATIO_METRICS = List.of(Metric.RATE, Metric.CPU, Metric.RSS_PER_CONNECTION);

    /** status: PASS, MISS or n/a; value NaN unless measured; cells: where ours and the peer's numbers come from. */
    record Verdict(Target target, String status, double value, List<CellStats> cells, String note) {
        boolean flagged() {
            return cells.stream().anyMatch(CellStats::flagged);
        }

        String mark() {
            return PeerComparison.mark(cells);
        }
    }

    /** The report's marks for the cells' flags, as in its tables: " ✗" failed, " †" loadgen-limited, " ‡" server-starved. */
    static String mark(List<CellStats> cells) {
        String m = (cells.stream().anyMatch(c -> c.failedTrials() > 0) ? Report.FAILED_MARK : "")
                + (cells.stream().anyMatch(c -> c.bottleneckTrials() > 0) ? Report.BOTTLENECK_MARK : "")
                + (cells.stream().anyMatch(c -> c.starvedTrials() > 0) ? Report.STARVED_MARK : "");
        return m.isEmpty() ? "" : " " + m;
    }

    private final List<CellStats> cells;

    PeerComparison(List<CellStats> cells) {
        this.cells = cells;
    }

    /** ours ÷ peer for one metric, from the first cell of {@code type} where both have it (issue 3's conditions first). */
    Optional<List<CellStats>> pair(String ours, String peer, Metric m, String type) {
        for (CellStats a : candidates(ours, m, type)) {
            Optional<CellStats> b = cells.stream().filter(c -> c.key().server().equals(peer)
                    && c.key().scenario().equals(a.key().scenario()) && c.key().cell().equals(a.key().cell())
                    && c.stat(m).present()).findFirst();
            if (b.isPresent()) {
                return Optional.of(List.of(a, b.get()));
            }
        }
        return Optional.empty();
    }

    private List<CellStats> candidates(String server, Metric m, String type) {
        List<CellStats> mine = cells.stream().filter(c -> c.key().server().equals(server)
                && c.scenarioType().equals(type) && c.stat(m).present()).toList();
        List<CellStats> ordered = new ArrayList<>(mine.stream().filter(PeerComparison::issue3Conditions).toList());
        mine.stream().filter(c -> !ordered.contains(c)).forEach(ordered::add);
        return ordered;
    }

    /** 50 connections, one message in flight, 64-byte binary: issue 3's throughput conditions. */
    static boolean issue3Conditions(CellStats c) {
        return c.stat("params.connections").median() == 50 && c.stat("params.inFlight").median() == 1
                && c.stat("params.payloadBytes").median() == 64
                && c.trials().stream().filter(t -> !t.failed()).noneMatch(t -> "true".equals(t.values().get("params.text")));
    }

    static double ratio(List<CellStats> pair, Metric m) {
        return pair.get(0).stat(m).median() / pair.get(1).stat(m).median();
    }

    Verdict judge(Target t) {
        List<CellStats> used;
        double v;
        if (t.peer() == null) {
            List<CellStats> c = candidates(t.ours(), t.metric(), t.scenarioType());
            if (c.isEmpty()) {
                return new Verdict(t, "n/a", Double.NaN, List.of(), "no " + t.scenarioType() + " numbers for " + t.ours());
            }
            used = List.of(c.get(0));
            v = used.get(0).stat(t.metric()).median();
        } else {
            Optional<List<CellStats>> p = pair(t.ours(), t.peer(), t.metric(), t.scenarioType());
            if (p.isEmpty()) {
                return new Verdict(t, "n/a", Double.NaN, List.of(), "no " + t.scenarioType() + " cell with numbers for both "
                        + t.ours() + " and " + t.peer());
            }
            used = p.get();
            v = ratio(used, t.metric());
        }
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return new Verdict(t, "n/a", Double.NaN, used, "not computable (a zero or missing median)");
        }
        boolean pass = t.atLeast() ? v >= t.bound() : v <= t.bound();
        return new Verdict(t, pass ? "PASS" : "MISS", v, used, "");
    }

    List<Verdict> verdicts() {
        return ISSUE_3.stream().map(this::judge).toList();
    }

    /** The report section: ratio matrix (our servers × peers), then the targets. */
    String markdown(List<String> servers, List<String> peers) {
        StringBuilder sb = new StringBuilder("## vs peers (issue 3)\n\n");
        sb.append("Ratios from this run: our server's median over trials ÷ the peer's, in the same scenario and"
                + " cell (msg/s from ").append(THROUGHPUT_TYPE).append(", preferring 50 connections, one in flight,"
                + " 64-byte binary; server CPU µs/msg likewise; KiB/conn from ").append(IDLE_TYPE)
                .append("). Above 1 is more throughput, more CPU per message, more memory.\n\n");
        List<String> header = new ArrayList<>(List.of("server", "ratio"));
        peers.forEach(p -> header.add("÷ " + p));
        MarkdownTable t = new MarkdownTable(header, 2);
        for (String s : servers) {
            boolean first = true;
            for (Metric m : RATIO_METRICS) {
                String type = m == Metric.RSS_PER_CONNECTION ? IDLE_TYPE : THROUGHPUT_TYPE;
                List<String> row = new ArrayList<>(List.of(first ? s : "", m.label));
                for (String p : peers) {
                    row.add(pair(s, p, m, type).map(c -> String.format(Locale.ROOT, "%.2f×", ratio(c, m))
                            + mark(c)).orElse("n/a"));
                }
                t.row(row);
                first = false;
            }
        }
        sb.append(t.isEmpty() ? "(no cells ran)\n" : t.render()).append('\n');
        MarkdownTable v = new MarkdownTable(List.of("target (issue 3)", "from", "measured", "result"), 2);
        for (Verdict x : verdicts()) {
            v.row(List.of(x.target().claim(),
                    x.cells().isEmpty() ? x.note() : String.join(" vs ", x.cells().stream().map(CellStats::dir).toList()),
                    Metric.trim(x.value()), x.status() + x.mark()));
        }
        sb.append(v.render()).append("\nPASS/MISS compare the medians; a mark means a cell behind the number had a ")
                .append(Report.FAILED_MARK).append(" failed, ").append(Report.BOTTLENECK_MARK)
                .append(" loadgen-bottleneck or ").append(Report.STARVED_MARK).append(" server-starved trial (see Flagged"
                        + " cells). The threaded server's idle memory has no target: it is in the ").append(IDLE_TYPE)
                .append(" table.\n");
        return sb.toString();
    }

    /** headline.json's {@code vsPeers}: every target with its verdict and the cells behind it. */
    ArrayNode toJson(ObjectMapper json) {
        ArrayNode out = json.createArrayNode();
        for (Verdict x : verdicts()) {
            ObjectNode o = out.addObject();
            o.put("target", x.target().claim());
            o.put("ours", x.target().ours());
            if (x.target().peer() != null) {
                o.put("peer", x.target().peer());
            }
            o.put("metric", x.target().metric().column);
            o.put(x.target().atLeast() ? "atLeast" : "atMost", x.target().bound());
            if (Double.isNaN(x.value())) {
                o.putNull("value");
            } else {
                o.put("value", x.value());
            }
            o.put("status", x.status());
            o.put("flagged", x.flagged());
            ArrayNode from = o.putArray("cells");
            x.cells().forEach(c -> from.add(c.dir()));
            if (!x.note().isEmpty()) {
                o.put("note", x.note());
            }
        }
        return out;
    }
}
