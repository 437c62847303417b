package dev.wsstudy.suite;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The verdict of a cross-check: the same workload measured by the loadgen and by an independent
 * client (tsung), compared as issue 4 asks: closed-loop throughput within 15%, and p50 and p99 at a
 * moderate constant rate within 25%. The ratio is loadgen / independent, and a criterion passes when
 * it lies within 1 ± tolerance. A side that could not generate its load (client CPU-bound, flagged
 * by the loadgen's self-check, errors) is named next to the verdict: its number then describes the
 * client more than the server, and the comparison says so instead of hiding it.
 */
final class CrosscheckReport {
    static final double THROUGHPUT_TOLERANCE = 0.15;
    static final double LATENCY_TOLERANCE = 0.25;
    /** A client above this share of its CPU budget is taken to be the bottleneck (the loadgen's own default). */
    static final double CLIENT_CPU_LIMIT_PCT = 85;
    /**
     * Time held back by other work (% of wall time: run-queue wait, summed over threads, bounded by the
     * busy time other processes took on its CPUs; {@link ProcSampler}) from which a number is caveated;
     * the loadgen's own server-starved default.
     */
    static final double HELD_LIMIT_PCT = 10;

    /**
     * One tool's numbers for one part (latency in µs, rate in messages/s; NaN where unknown). CPU and
     * held back (run-queue wait while other processes used the CPUs, {@link ProcSampler}) are % of wall
     * time over the measured period (100 = one core; held back summed over threads).
     */
    record Side(String tool, double rate, double p50Us, double p90Us, double p99Us, double maxUs, long count,
                long errors, double clientCpuPct, double clientCpuBudgetPct, double clientHeldPct,
                double clientCpuUsPerMsg, double serverCpuUsPerMsg, double serverHeldPct, List<String> flags,
                double p50FromSendUs, Wire wire) {

        /** The same side with what the wire showed during its measured period. */
        Side withWire(Wire w) {
            return new Side(tool, rate, p50Us, p90Us, p99Us, maxUs, count, errors, clientCpuPct, clientCpuBudgetPct,
                    clientHeldPct, clientCpuUsPerMsg, serverCpuUsPerMsg, serverHeldPct, flags, p50FromSendUs, w);
        }

        boolean clientSaturated() {
            return clientCpuPct >= CLIENT_CPU_LIMIT_PCT / 100.0 * clientCpuBudgetPct;
        }
    }

    /**
     * What tcpdump saw on the loopback interface during one tool's measured period ({@link WireLatency});
     * {@code stats} null and {@code note} saying why when it was not measured.
     */
    record Wire(WireLatency.Stats stats, long droppedByKernel, String note) {}

    /** One workload measured by both. */
    record Part(String name, String workload, Side loadgen, Side independent) {}

    /**
     * One criterion over the trials: each trial's ratio of the two tools' numbers, measured close in
     * time; the verdict is on the median ratio. {@code loadgen} and {@code independent} are the
     * medians of each tool's own numbers, for reading. A trial without a number fails the criterion.
     */
    record Criterion(String part, String metric, double loadgen, double independent, List<Double> ratios,
                     double tolerance, List<String> caveats) {
        double ratio() {
            return ratios.stream().allMatch(Double::isFinite) ? median(ratios) : Double.NaN;
        }

        boolean pass() {
            double r = ratio();
            return Double.isFinite(r) && Math.abs(r - 1) <= tolerance + 1e-12;
        }

        String verdict() {
            return pass() ? "PASS" : "FAIL";
        }
    }

    /** Trial k's closed-loop and paced parts at index k. */
    final List<Part> closed;
    final List<Part> paced;
    final List<String> conditions;

    CrosscheckReport(List<Part> closed, List<Part> paced, List<String> conditions) {
        if (closed.isEmpty() || closed.size() != paced.size()) {
            throw new IllegalArgumentException("need the same number (>= 1) of closed and paced trials");
        }
        this.closed = List.copyOf(closed);
        this.paced = List.copyOf(paced);
        this.conditions = List.copyOf(conditions);
    }

    /** One trial. */
    CrosscheckReport(Part closed, Part paced, List<String> conditions) {
        this(List.of(closed), List.of(paced), conditions);
    }

    int trials() {
        return closed.size();
    }

    List<Criterion> criteria() {
        return List.of(
                criterion(closed, "throughput (msgs/s)", Side::rate, THROUGHPUT_TOLERANCE, true),
                criterion(paced, "p50 (µs)", Side::p50Us, LATENCY_TOLERANCE, false),
                criterion(paced, "p99 (µs)", Side::p99Us, LATENCY_TOLERANCE, false));
    }

    private Criterion criterion(List<Part> parts, String metric, ToDoubleFunction<Side> value, double tolerance,
                                boolean throughput) {
        List<Double> lg = new ArrayList<>(), ind = new ArrayList<>(), ratios = new ArrayList<>();
        List<String> caveats = new ArrayList<>();
        for (int t = 0; t < parts.size(); t++) {
            Part p = parts.get(t);
            lg.add(value.applyAsDouble(p.loadgen()));
            ind.add(value.applyAsDouble(p.independent()));
            ratios.add(value.applyAsDouble(p.loadgen()) / value.applyAsDouble(p.independent()));
            String trial = parts.size() > 1 ? "trial " + (t + 1) + ", " : "";
            caveats(p, throughput).forEach(c -> caveats.add(trial + c));
        }
        return new Criterion(parts.get(0).name(), metric, median(lg), median(ind), ratios, tolerance, caveats);
    }

    /** The median (the mean of the middle two for an even count); NaN when a value is NaN or there is none. */
    static double median(List<Double> values) {
        if (values.isEmpty() || values.stream().anyMatch(v -> Double.isNaN(v))) return Double.NaN;
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }

    boolean allPass() {
        return criteria().stream().allMatch(Criterion::pass);
    }

    /** Why a number may describe a client or the machine rather than the server; each names its part. */
    static List<String> caveats(Part p, boolean throughput) {
        List<String> out = new ArrayList<>();
        String at = p.name() + ": ";
        for (Side s : List.of(p.loadgen(), p.independent())) {
            if (s.clientSaturated()) {
                out.add(at + s.tool() + " used " + num(s.clientCpuPct()) + "% CPU of its " + num(s.clientCpuBudgetPct())
                        + "% budget: it, not the server, limited the " + (throughput ? "throughput" : "latency")
                        + ", so its number measures the client");
            }
            if (s.clientHeldPct() >= HELD_LIMIT_PCT) {
                out.add(at + s.tool() + "'s threads waited " + num(s.clientHeldPct()) + "% of the time for a CPU that"
                        + " other work held (it ran " + num(s.clientCpuPct()) + "%): the machine held the client back");
            }
            if (s.serverHeldPct() >= HELD_LIMIT_PCT) {
                out.add(at + "during " + s.tool() + "'s run the server's threads waited " + num(s.serverHeldPct())
                        + "% of the time for a CPU that other work held: the machine held the server back");
            }
            s.flags().forEach(f -> out.add(at + s.tool() + ": " + f));
            if (s.errors() > 0) {
                out.add(at + s.tool() + " counted " + s.errors() + " errors in the measured period");
            }
        }
        return out;
    }

    /** crosscheck.json: both parts as measured and every criterion with its ratio and verdict. */
    ObjectNode toJson(ObjectMapper json) {
        ObjectNode r = json.createObjectNode();
        r.put("allPass", allPass());
        r.put("trials", trials());
        ArrayNode cs = r.putArray("criteria");
        for (Criterion c : criteria()) {
            ObjectNode n = json.valueToTree(c);
            n.put("ratio", c.ratio()); // the median of the trials' ratios
            n.put("result", c.verdict());
            cs.add(n);
        }
        r.set("closed", json.valueToTree(closed)); // one entry per trial
        r.set("paced", json.valueToTree(paced));
        r.set("conditions", json.valueToTree(conditions));
        return r;
    }

    String markdown(String runName) {
        StringBuilder sb = new StringBuilder("# Cross-check " + runName + "\n\n");
        sb.append("The loadgen against an independent client (tsung) on the same server and workload."
                + " Ratio = loadgen / tsung; a criterion passes within 1 ± tolerance.");
        if (trials() > 1) {
            sb.append(" ").append(trials()).append(" trials, each measuring both tools one after the other; the"
                    + " verdict is on the median of the trials' ratios, the tools' columns are the medians of their"
                    + " own numbers.");
        }
        sb.append("\n\n| criterion | loadgen | tsung | ratio | ").append(trials() > 1 ? "ratio per trial | " : "")
                .append("tolerance | result |\n|---|---|---|---|").append(trials() > 1 ? "---|" : "").append("---|---|\n");
        for (Criterion c : criteria()) {
            sb.append("| ").append(c.part()).append(": ").append(c.metric()).append(" | ").append(num(c.loadgen()))
                    .append(" | ").append(num(c.independent())).append(" | ").append(fmt("%.3f", c.ratio())).append(" | ");
            if (trials() > 1) {
                sb.append(String.join(", ", c.ratios().stream().map(r -> fmt("%.2f", r)).toList())).append(" | ");
            }
            sb.append("±").append(Math.round(c.tolerance() * 100)).append("% | **").append(c.verdict())
                    .append(c.caveats().isEmpty() ? "" : " (see caveats)").append("** |\n");
        }
        sb.append("\nOverall: **").append(allPass() ? "PASS" : "FAIL").append("**\n");
        List<String> caveats = criteria().stream().flatMap(c -> c.caveats().stream()).distinct().toList();
        if (!caveats.isEmpty()) {
            sb.append("\n## Caveats\n\n");
            caveats.forEach(c -> sb.append("- ").append(c).append('\n'));
        }
        for (List<Part> parts : List.of(closed, paced)) {
            sb.append("\n## ").append(parts.get(0).name()).append("\n\n").append(parts.get(0).workload()).append("\n\n");
            sb.append(trials() > 1 ? "| trial " : "").append("| tool | msgs/s | p50 µs | p90 µs | p99 µs | max µs | samples"
                    + " | errors | client CPU % (budget) | client held back % | client CPU µs/msg | server CPU µs/msg | server held back % |\n")
                    .append(trials() > 1 ? "|---" : "").append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            for (int t = 0; t < parts.size(); t++) {
                for (Side s : List.of(parts.get(t).loadgen(), parts.get(t).independent())) {
                    if (trials() > 1) sb.append("| ").append(t + 1).append(' ');
                    sb.append("| ").append(s.tool()).append(" | ").append(num(s.rate())).append(" | ")
                            .append(num(s.p50Us())).append(" | ").append(num(s.p90Us())).append(" | ")
                            .append(num(s.p99Us())).append(" | ").append(num(s.maxUs())).append(" | ").append(s.count())
                            .append(" | ").append(s.errors()).append(" | ").append(num(s.clientCpuPct())).append(" (")
                            .append(num(s.clientCpuBudgetPct())).append(") | ").append(num(s.clientHeldPct()))
                            .append(" | ").append(num(s.clientCpuUsPerMsg())).append(" | ").append(num(s.serverCpuUsPerMsg()))
                            .append(" | ").append(num(s.serverHeldPct())).append(" |\n");
                }
            }
        }
        wireSection(sb, paced);
        sb.append("\nCPU and held back: % of wall time in the measured period (100 = one core); held back = time the"
                + " threads were runnable but had no CPU (/proc/PID/task/*/schedstat, summed over threads) while other"
                + " processes used the CPUs they may run on (/proc/stat): waiting behind their own threads does not count.\n");
        sb.append("\n## Conditions\n\n");
        conditions.forEach(c -> sb.append("- ").append(c).append('\n'));
        return sb.toString();
    }

    /** The third observer: the kernel's packet timestamps, and what each client added on top of them. */
    static void wireSection(StringBuilder sb, List<Part> parts) {
        if (parts.stream().allMatch(p -> p.loadgen().wire() == null && p.independent().wire() == null)) return;
        boolean trials = parts.size() > 1;
        sb.append("\nWhat the server's socket saw (tcpdump on lo, kernel timestamps): from each request's packet to its"
                + " answer's packet, requests sent in the tool's measured period. \"From the send\" is the client's latency"
                + " from the moment it actually sent (the loadgen's uncorrected latency; tsung's own definition);"
                + " the loadgen's p50 above is from the intended send time. A burst: a request that reached the server"
                + " within 50 µs of the previous one.\n\n");
        sb.append(trials ? "| trial " : "").append("| tool | answered | wire p50 µs | wire p90 µs | wire p99 µs"
                + " | p50 from the send µs | client's own part of p50 µs | requests in bursts % | note |\n")
                .append(trials ? "|---" : "").append("|---|---|---|---|---|---|---|---|---|\n");
        for (int t = 0; t < parts.size(); t++) {
            for (Side s : List.of(parts.get(t).loadgen(), parts.get(t).independent())) {
                Wire w = s.wire();
                WireLatency.Stats st = w == null ? null : w.stats();
                String note = w == null ? "not captured" : (w.note() == null ? "" : w.note())
                        + (w.droppedByKernel() > 0 ? " tcpdump lost " + w.droppedByKernel() + " packets" : "");
                if (trials) sb.append("| ").append(t + 1).append(' ');
                sb.append("| ").append(s.tool()).append(" | ").append(st == null ? "n/a" : Long.toString(st.pairs()))
                        .append(" | ").append(st == null ? "n/a" : num(st.p50Us())).append(" | ")
                        .append(st == null ? "n/a" : num(st.p90Us())).append(" | ").append(st == null ? "n/a" : num(st.p99Us()))
                        .append(" | ").append(num(s.p50FromSendUs())).append(" | ")
                        .append(st == null ? "n/a" : num(s.p50FromSendUs() - st.p50Us())).append(" | ")
                        .append(st == null ? "n/a" : num(st.burstPct())).append(" | ").append(note.strip()).append(" |\n");
            }
        }
    }

    static String num(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return Math.abs(v) >= 100 ? fmt("%.0f", v) : fmt("%.1f", v);
    }

    private static String fmt(String f, double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, f, v) : "n/a";
    }
}
