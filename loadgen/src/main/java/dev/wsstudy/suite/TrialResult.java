package dev.wsstudy.suite;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One trial of one cell, as summary.csv holds it: where it belongs, how it ended, and the
 * loadgen's summary.json flattened to dotted keys ({@code latency.corrected.p99}). A trial that never
 * produced a summary (server did not start, loadgen crashed, timeout) has status {@code failed},
 * a reason, and no values.
 */
record TrialResult(String scenario, String scenarioType, String server, String cell, int trial,
                   String status, String failureReason, String dir, Map<String, String> values) {

    static final String OK = "ok";
    static final String FAILED = "failed";
    static final String BOTTLENECK = "loadgen-bottleneck";

    static TrialResult failed(String scenario, String type, String server, String cell, int trial, String dir,
                              String reason) {
        return new TrialResult(scenario, type, server, cell, trial, FAILED, reason, dir, Map.of());
    }

    /** A trial whose loadgen wrote a summary; the summary's own status and reason are kept. */
    static TrialResult of(String scenario, String type, String server, String cell, int trial, String dir,
                          JsonNode summary) {
        Map<String, String> flat = flatten(summary);
        String status = flat.getOrDefault("status", "");
        if (status.isEmpty()) {
            status = OK;
        }
        String reason = flat.getOrDefault("failureReason", "");
        if (reason.isEmpty() && BOTTLENECK.equals(status)) {
            reason = flat.getOrDefault("loadgen.bottleneckReason", "");
        }
        flat.remove("status");
        flat.remove("failureReason");
        flat.remove("scenario");
        return new TrialResult(scenario, type, server, cell, trial, status, reason, dir, flat);
    }

    boolean failed() {
        return FAILED.equals(status);
    }

    boolean bottleneck() {
        return BOTTLENECK.equals(status);
    }

    /**
     * The server waited for a CPU for at least the loadgen's {@code --max-server-wait-pct} of the
     * measured window ({@code server.starved} in summary.json): its numbers then describe the
     * machine's other work as much as the server. A flag beside the status, not a status.
     */
    boolean starved() {
        return "true".equals(values.get("server.starved"));
    }

    /** "server waited 23.4% of the window for a CPU that other work held" for a starved trial's flag text. */
    String starvedReason() {
        return "server waited " + values.getOrDefault("server.starvedPct", "?") + "% of the window for a CPU that other work held";
    }

    /** The metric's value, or NaN when the trial failed or the loadgen left it null. */
    double value(Metric m) {
        return number(values.get(m.column));
    }

    static double number(String s) {
        if (s == null || s.isEmpty()) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** Objects become dotted keys; arrays stay JSON text; null becomes the empty string. */
    static Map<String, String> flatten(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        flatten("", node, out);
        return out;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else if (!prefix.isEmpty()) {
            out.put(prefix, node.isNull() ? "" : node.isValueNode() ? node.asText() : node.toString());
        }
    }
}
