package dev.wsstudy.loadgen.measure;

import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.HdrHistogram.HistogramLogWriter;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Reading, writing and merging HdrHistogram interval logs. Every log we write has a StartTime
 * and BaseTime equal to the run's common start, and intervals of exactly one second, so interval
 * {@code i} of any process starts at {@code start + i s}; merging adds the histograms that share
 * a start time.
 */
public final class HlogFiles {
    public static final String CORRECTED = "latency-corrected.hlog";
    public static final String UNCORRECTED = "latency-uncorrected.hlog";
    public static final String LAG = "schedule-lag.hlog";
    public static final String SETUP = "connect-setup.hlog";
    /** Several targets only: measured-period latency between / within nodes, one interval. */
    public static final String CROSS_NODE = "latency-cross-node.hlog";
    public static final String SAME_NODE = "latency-same-node.hlog";

    private HlogFiles() {}

    public static HistogramLogWriter open(Path file, long startEpochMs) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        HistogramLogWriter w = new HistogramLogWriter(new PrintStream(Files.newOutputStream(file), false, "US-ASCII"));
        w.outputLogFormatVersion();
        w.outputComment("wsstudy loadgen: values in microseconds; intervals of 1 s from StartTime (warm-up included)");
        w.outputStartTime(startEpochMs);
        w.setBaseTime(startEpochMs);
        w.outputBaseTime(startEpochMs);
        w.outputLegend();
        return w;
    }

    /** The log's intervals, keyed by interval index (seconds after {@code startEpochMs}). */
    public static TreeMap<Integer, Histogram> read(Path file, long startEpochMs) throws IOException {
        TreeMap<Integer, Histogram> out = new TreeMap<>();
        HistogramLogReader r = new HistogramLogReader(file.toFile());
        try {
            EncodableHistogram e;
            while ((e = r.nextIntervalHistogram()) != null) {
                Histogram h = (Histogram) e;
                int i = (int) Math.round((h.getStartTimeStamp() - startEpochMs) / 1000.0);
                out.merge(i, h, (a, b) -> { a.add(b); return a; });
            }
        } finally {
            r.close();
        }
        return out;
    }

    /** Adds the logs of several processes interval by interval (the worker merge). */
    public static TreeMap<Integer, Histogram> merge(List<Path> files, long startEpochMs) throws IOException {
        TreeMap<Integer, Histogram> merged = new TreeMap<>();
        for (Path f : files) {
            read(f, startEpochMs).forEach((i, h) -> merged.merge(i, h, (a, b) -> { a.add(b); return a; }));
        }
        return merged;
    }

    /** Writes intervals (keyed by index) as one log. */
    public static void write(Path file, long startEpochMs, TreeMap<Integer, Histogram> intervals) throws IOException {
        HistogramLogWriter w = open(file, startEpochMs);
        intervals.forEach((i, h) -> {
            h.setStartTimeStamp(startEpochMs + i * 1000L);
            h.setEndTimeStamp(startEpochMs + (i + 1) * 1000L);
            w.outputIntervalHistogram(h);
        });
        w.close();
    }

    /** The sum of intervals {@code [from, to)}; empty histogram when none. */
    public static Histogram sum(TreeMap<Integer, Histogram> intervals, int from, int to) {
        Histogram total = new Histogram(Metrics.LOWEST_US, Metrics.HIGHEST_US, Metrics.DIGITS);
        intervals.subMap(from, true, to, false).values().forEach(total::add);
        return total;
    }

    public static List<Path> each(List<Path> dirs, String name) {
        List<Path> out = new ArrayList<>();
        for (Path d : dirs) if (Files.exists(d.resolve(name))) out.add(d.resolve(name));
        return out;
    }
}
