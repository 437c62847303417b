package dev.wsstudy.suite;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Two runs, cell by cell. The noise rule: a change counts only when the two runs' trial ranges
 * (min–max) do not overlap, i.e. every trial of B is beyond every trial of A. Anything else is
 * "within noise". With a single trial on either side there is no spread to judge by, and the
 * comparison says so instead of calling every difference real.
 */
final class Comparison {
    static final List<Metric> METRICS = List.of(Metric.RATE, Metric.P50, Metric.P99, Metric.CPU);

    /** {@code marksA}/{@code marksB}: the report's ✗ / † when that run's cell had failed or loadgen-bottleneck trials. */
    record Row(CellStats.Key key, Metric metric, CellStats.Stat a, CellStats.Stat b, String marksA, String marksB) {
        double changePct() {
            return a.median() == 0 ? Double.NaN : (b.median() - a.median()) / a.median() * 100;
        }

        String verdict() {
            return Comparison.verdict(a, b, metric);
        }
    }

    static String verdict(CellStats.Stat a, CellStats.Stat b, Metric m) {
        if (!a.present() || !b.present()) {
            return "not measured in both";
        }
        if (a.n() < 2 || b.n() < 2) {
            return "noise unknown (1 trial)";
        }
        boolean overlap = a.min() <= b.max() && b.min() <= a.max();
        if (overlap) {
            return "within noise";
        }
        boolean up = b.median() > a.median();
        return "beyond spread: " + (up == m.higherIsBetter ? "better" : "worse");
    }

    final List<Row> rows = new ArrayList<>();
    final List<String> onlyA = new ArrayList<>();
    final List<String> onlyB = new ArrayList<>();
    final List<String> scenarios = new ArrayList<>();

    Comparison(List<TrialResult> a, List<TrialResult> b) {
        Map<CellStats.Key, CellStats> ca = index(a);
        Map<CellStats.Key, CellStats> cb = index(b);
        Set<String> sc = new LinkedHashSet<>();
        for (var e : ca.entrySet()) {
            CellStats other = cb.get(e.getKey());
            if (other == null) {
                onlyA.add(label(e.getKey()));
                continue;
            }
            sc.add(e.getKey().scenario());
            for (Metric m : METRICS) {
                CellStats.Stat sa = e.getValue().stat(m);
                CellStats.Stat sb = other.stat(m);
                if (sa.present() || sb.present()) {
                    rows.add(new Row(e.getKey(), m, sa, sb, marks(e.getValue()), marks(other)));
                }
            }
        }
        cb.keySet().stream().filter(k -> !ca.containsKey(k)).forEach(k -> onlyB.add(label(k)));
        scenarios.addAll(sc);
    }

    static String marks(CellStats c) {
        return (c.failedTrials() > 0 ? " " + Report.FAILED_MARK : "") + (c.bottleneckTrials() > 0 ? " " + Report.BOTTLENECK_MARK : "")
                + (c.starvedTrials() > 0 ? " " + Report.STARVED_MARK : "");
    }

    private static Map<CellStats.Key, CellStats> index(List<TrialResult> trials) {
        Map<CellStats.Key, CellStats> m = new LinkedHashMap<>();
        CellStats.group(trials).forEach(c -> m.put(c.key(), c));
        return m;
    }

    private static String label(CellStats.Key k) {
        return k.scenario() + "/" + k.server() + "/" + k.cell();
    }

    String markdown(String nameA, String nameB) {
        StringBuilder sb = new StringBuilder("# compare: A = " + nameA + ", B = " + nameB + "\n\n");
        sb.append("Median over trials (min–max). Change = (B − A) / A. A change is real only when the two runs'"
                + " trial ranges do not overlap; otherwise it is within noise. " + Report.FAILED_MARK
                + " = a trial failed, " + Report.BOTTLENECK_MARK + " = loadgen-bottleneck, " + Report.STARVED_MARK
                + " = server-starved (see that run's report).\n\n");
        for (String s : scenarios) {
            MarkdownTable t = new MarkdownTable(List.of("server · cell", "metric", "A", "B", "change", "verdict"), 2);
            String last = "";
            for (Row r : rows) {
                if (!r.key().scenario().equals(s)) {
                    continue;
                }
                String where = r.key().server() + " · " + r.key().cell();
                t.row(List.of(where.equals(last) ? "" : where, r.metric().labelWithUnit(),
                        r.a().format(r.metric()) + r.marksA(), r.b().format(r.metric()) + r.marksB(),
                        pct(r.changePct()), r.verdict()));
                last = where;
            }
            sb.append("## ").append(s).append("\n\n").append(t.render()).append('\n');
        }
        if (!onlyA.isEmpty()) {
            sb.append("Only in A: ").append(String.join(", ", onlyA)).append("\n\n");
        }
        if (!onlyB.isEmpty()) {
            sb.append("Only in B: ").append(String.join(", ", onlyB)).append("\n\n");
        }
        if (rows.isEmpty()) {
            sb.append("No cell is in both runs.\n");
        }
        return sb.toString();
    }

    static String pct(double p) {
        return Double.isNaN(p) ? "n/a" : String.format(Locale.ROOT, "%+.1f%%", p);
    }
}
