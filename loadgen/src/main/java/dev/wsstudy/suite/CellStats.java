package dev.wsstudy.suite;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The trials of one cell (scenario × server × cell label) reduced to what the report shows: the
 * median over trials and the min–max spread, per metric. Failed trials carry no numbers and are
 * left out; loadgen-bottleneck and server-starved trials are kept but flag the cell, because their
 * numbers describe the generator, or the machine's other work, as much as the server.
 */
record CellStats(Key key, String scenarioType, List<TrialResult> trials) {

    record Key(String scenario, String server, String cell) {}

    /** Median and spread of one metric over the trials that have it; n = how many had it. */
    record Stat(double median, double min, double max, int n) {
        static final Stat NONE = new Stat(Double.NaN, Double.NaN, Double.NaN, 0);

        boolean present() {
            return n > 0;
        }

        String format(Metric m) {
            if (n == 0) {
                return "–";
            }
            String med = m.format(median);
            if (n == 1 || min == max) {
                return med;
            }
            return med + " (" + m.format(min) + "–" + m.format(max) + ")";
        }
    }

    /** Groups trials by cell, keeping the order in which cells first appear. */
    static List<CellStats> group(List<TrialResult> results) {
        Map<Key, List<TrialResult>> byCell = new LinkedHashMap<>();
        Map<Key, String> types = new LinkedHashMap<>();
        for (TrialResult r : results) {
            Key k = new Key(r.scenario(), r.server(), r.cell());
            byCell.computeIfAbsent(k, x -> new ArrayList<>()).add(r);
            types.putIfAbsent(k, r.scenarioType());
        }
        List<CellStats> out = new ArrayList<>();
        byCell.forEach((k, v) -> out.add(new CellStats(k, types.get(k), List.copyOf(v))));
        return out;
    }

    Stat stat(Metric m) {
        return stat(m.column);
    }

    /** Any summary column, e.g. {@code offeredRate} or {@code connections}. */
    Stat stat(String column) {
        double[] xs = trials.stream().filter(t -> !t.failed()).mapToDouble(t -> TrialResult.number(t.values().get(column)))
                .filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (xs.length == 0) {
            return Stat.NONE;
        }
        return new Stat(median(xs), xs[0], xs[xs.length - 1], xs.length);
    }

    /** Median of sorted values: the middle one, or the mean of the two middle ones. */
    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }

    static double median(List<Double> values) {
        return median(values.stream().mapToDouble(Double::doubleValue).sorted().toArray());
    }

    long failedTrials() {
        return trials.stream().filter(TrialResult::failed).count();
    }

    long bottleneckTrials() {
        return trials.stream().filter(TrialResult::bottleneck).count();
    }

    long starvedTrials() {
        return trials.stream().filter(TrialResult::starved).count();
    }

    boolean allFailed() {
        return failedTrials() == trials.size();
    }

    /** A cell readers must not take at face value: any trial failed, was limited by the loadgen, or starved. */
    /** Whether the cell drove several servers at once (a cluster's nodes: summary {@code target} lists them). */
    boolean severalTargets() {
        return trials.stream().anyMatch(t -> t.values().getOrDefault("target", "").contains(","));
    }

    boolean flagged() {
        return failedTrials() > 0 || bottleneckTrials() > 0 || starvedTrials() > 0;
    }

    /** "2/3 trials failed: server did not answer /health within 20 s; 1/3 loadgen-bottleneck: ..." */
    String flagText() {
        List<String> parts = new ArrayList<>();
        if (failedTrials() > 0) {
            parts.add(failedTrials() + "/" + trials.size() + " failed: " + reasons(TrialResult::failed));
        }
        if (bottleneckTrials() > 0) {
            parts.add(bottleneckTrials() + "/" + trials.size() + " loadgen-bottleneck: "
                    + reasons(TrialResult::bottleneck));
        }
        if (starvedTrials() > 0) {
            parts.add(starvedTrials() + "/" + trials.size() + " server-starved: " + String.join(" | ",
                    trials.stream().filter(TrialResult::starved).map(TrialResult::starvedReason).toList()));
        }
        return String.join("; ", parts);
    }

    private String reasons(java.util.function.Predicate<TrialResult> which) {
        return String.join(" | ", trials.stream().filter(which).map(TrialResult::failureReason)
                .filter(Objects::nonNull).map(r -> r.isBlank() ? "(no reason given)" : r).distinct().toList());
    }

    /** The folder holding this cell's trials, relative to the run folder. */
    String dir() {
        return key.scenario() + "/" + key.server() + "/" + key.cell();
    }

    @Override
    public String toString() {
        return key + " " + Arrays.toString(trials.stream().map(TrialResult::status).toArray());
    }
}
