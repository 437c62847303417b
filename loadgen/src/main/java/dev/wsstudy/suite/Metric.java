package dev.wsstudy.suite;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A number the report, the headline and {@code compare} read from a trial. {@code column} is the
 * flattened {@code summary.json} field (docs/results-format.md) as it appears in {@code summary.csv},
 * so the same definition serves a live run and a stored one.
 */
enum Metric {
    RATE("rate", "msg/s", "achievedRate", Unit.COUNT, true),
    MBPS("mbps", "MB/s", "throughputMBps", Unit.DECIMAL, true),
    P50("p50", "p50", "latency.corrected.p50", Unit.MICROS, false),
    P99("p99", "p99", "latency.corrected.p99", Unit.MICROS, false),
    P999("p999", "p99.9", "latency.corrected.p999", Unit.MICROS, false),
    MAX("max", "max", "latency.corrected.max", Unit.MICROS, false),
    P99_UNCORRECTED("p99-uncorrected", "p99 uncorrected", "latency.uncorrected.p99", Unit.MICROS, false),
    /** Cluster cells (several loadgen targets): deliveries to members on another node / the sender's node. */
    CROSS_NODE_P50("cross-node-p50", "cross-node p50", "latency.crossNode.p50", Unit.MICROS, false),
    CROSS_NODE_P99("cross-node-p99", "cross-node p99", "latency.crossNode.p99", Unit.MICROS, false),
    SAME_NODE_P50("same-node-p50", "same-node p50", "latency.sameNode.p50", Unit.MICROS, false),
    SAME_NODE_P99("same-node-p99", "same-node p99", "latency.sameNode.p99", Unit.MICROS, false),
    CPU("cpu", "server CPU µs/msg", "server.cpuUsPerMessage", Unit.DECIMAL, false),
    WITHIN_500MS("within500ms", "% within 500 ms", "delivery.within500msPct", Unit.DECIMAL, true),
    LOST("lost", "lost", "delivery.lost", Unit.COUNT, false),
    ERRORS("errors", "errors", "errors", Unit.COUNT, false),
    CONNECTIONS("connections", "connections", "connect.succeeded", Unit.COUNT, true),
    HANDSHAKES("handshakes", "handshakes/s", "connect.handshakesPerSec", Unit.COUNT, true),
    RSS_PER_CONNECTION("rss-per-connection", "server KiB/conn", "server.rssKiBPerConnection", Unit.DECIMAL, false),
    LIVE_HEAP_PER_CONNECTION("live-heap-per-connection", "server live heap KiB/conn (after full GC)",
            "server.liveHeapKiBPerConnection", Unit.DECIMAL, false),
    PEAK_RSS("peak-rss", "server peak RSS MiB", "server.peakRssKiB", Unit.KIB, false),
    THREADS("threads", "server threads (max)", "server.threadsMax", Unit.COUNT, false),
    FDS_END("fds-end", "server fds at end", "server.fdsEnd", Unit.COUNT, false),
    LOADGEN_CPU("loadgen-cpu", "loadgen CPU %", "loadgen.cpuPct", Unit.DECIMAL, false);

    enum Unit { COUNT, DECIMAL, MICROS, KIB }

    final String key;
    final String label;
    final String column;
    final Unit unit;
    final boolean higherIsBetter;

    Metric(String key, String label, String column, Unit unit, boolean higherIsBetter) {
        this.key = key;
        this.label = label;
        this.column = column;
        this.unit = unit;
        this.higherIsBetter = higherIsBetter;
    }

    /** What each scenario's table shows unless the suite file lists {@code metrics}. */
    private static final Map<String, List<Metric>> DEFAULTS = Map.of(
            "echo-rate", List.of(RATE, P50, P99, CPU),
            "echo-closed", List.of(RATE, P50, P99, CPU),
            "broadcast", List.of(RATE, WITHIN_500MS, P99, LOST, CPU),
            "idle-connections", List.of(CONNECTIONS, HANDSHAKES, RSS_PER_CONNECTION, LIVE_HEAP_PER_CONNECTION, THREADS),
            "churn", List.of(HANDSHAKES, ERRORS, FDS_END, CPU),
            "blocking-handler", List.of(RATE, P50, P99, THREADS),
            "slow-consumer", List.of(RATE, P99, PEAK_RSS, ERRORS),
            "large-messages", List.of(MBPS, P50, P99, PEAK_RSS));

    static List<Metric> defaultsFor(String scenarioType) {
        return DEFAULTS.getOrDefault(scenarioType, List.of(RATE, P50, P99, CPU));
    }

    static Metric byKey(String key) {
        for (Metric m : values()) {
            if (m.key.equals(key)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown metric '" + key + "' (known: " + keys() + ")");
    }

    static String keys() {
        StringBuilder sb = new StringBuilder();
        for (Metric m : values()) {
            sb.append(sb.isEmpty() ? "" : ", ").append(m.key);
        }
        return sb.toString();
    }

    /** Human formatting: latency in ms (stored in µs), RSS in MiB (stored in KiB), counts grouped. */
    String format(double v) {
        return switch (unit) {
            case COUNT -> Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : trim(v);
            case DECIMAL -> trim(v);
            case MICROS -> trim(v / 1000.0);
            case KIB -> trim(v / 1024.0);
        };
    }

    /** The label with its display unit, for table rows. */
    String labelWithUnit() {
        return switch (unit) {
            case MICROS -> label + " ms";
            default -> label;
        };
    }

    /** Three significant digits, no exponent: 0.412, 12.3, 1234. */
    static String trim(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        if (a == 0) {
            return "0";
        }
        String s = a >= 100 ? String.format(Locale.ROOT, "%.0f", v)
                : a >= 10 ? String.format(Locale.ROOT, "%.1f", v)
                : a >= 1 ? String.format(Locale.ROOT, "%.2f", v)
                : String.format(Locale.ROOT, "%.3g", v);
        return s;
    }
}
