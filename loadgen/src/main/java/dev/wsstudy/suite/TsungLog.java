package dev.wsstudy.suite;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What tsung 1.7 wrote, read back: {@code tsung.log} (one block per stats interval, opened by
 * {@code # stats: dump at EPOCH_S}, with {@code stats: request COUNT MEAN ...} for the requests whose
 * answer arrived in that interval, and cumulative error counters) and {@code tsung-fullstats.log}
 * ({@code backend="fullstats"}: every request's latency in ms, as Erlang terms
 * {@code {sample,request,[0.241,0.246,...]}}, in arrival order).
 *
 * <p>Both files are fed by the same tsung process in the same order, so the k-th interval's samples
 * are the fullstats samples after the sum of the earlier intervals' counts. That is how the warm-up
 * is cut away: fullstats itself carries no timestamps. Percentiles are exact (sorted samples), not
 * HdrHistogram buckets, so nothing of our own measurement code touches the independent numbers.
 */
final class TsungLog {
    /** One stats interval: when tsung dumped it, how many requests completed, errors seen in it. */
    record Interval(long dumpEpochS, long requests, long errors) {}

    /** The measured period's numbers (latency in µs). */
    record Window(int intervals, long count, double throughput, double meanUs, double p50Us, double p90Us,
                  double p99Us, double p999Us, double maxUs, long errors, long startEpochS, long endEpochS) {}

    final List<Interval> intervals;
    final Map<String, Long> errorTotals;

    private TsungLog(List<Interval> intervals, Map<String, Long> errorTotals) {
        this.intervals = intervals;
        this.errorTotals = errorTotals;
    }

    /** Parses tsung.log; error counters are names starting with {@code error_} and {@code websocket_fail}. */
    static TsungLog parse(String tsungLog) {
        List<Interval> out = new ArrayList<>();
        Map<String, Long> totals = new LinkedHashMap<>();
        long dump = -1, requests = 0, errors = 0;
        for (String raw : tsungLog.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("# stats: dump at ")) {
                if (dump >= 0) {
                    out.add(new Interval(dump, requests, errors));
                }
                dump = Long.parseLong(line.substring("# stats: dump at ".length()).strip());
                requests = 0;
                errors = 0;
            } else if (line.startsWith("stats: ") && dump >= 0) {
                String[] f = line.substring("stats: ".length()).split(" ");
                if (f.length < 3) {
                    continue;
                }
                if (f[0].equals("request")) {
                    requests = Long.parseLong(f[1]);
                } else if (f[0].startsWith("error_") || f[0].equals("websocket_fail")) {
                    // counters: "NAME IN_THIS_INTERVAL TOTAL"
                    errors += Long.parseLong(f[1]);
                    totals.put(f[0], Long.parseLong(f[2]));
                }
            }
        }
        if (dump >= 0) {
            out.add(new Interval(dump, requests, errors));
        }
        return new TsungLog(List.copyOf(out), totals);
    }

    /** Every request sample of a fullstats log, in ms, in file order. */
    static double[] requestSamplesMs(String fullstats) {
        String marker = "{sample,request,";
        double[] v = new double[1024];
        int n = 0;
        for (int at = fullstats.indexOf(marker); at >= 0; at = fullstats.indexOf(marker, at + 1)) {
            int from = at + marker.length();
            int close = fullstats.indexOf('}', from);
            if (close < 0) {
                throw new IllegalArgumentException("fullstats: unterminated sample at offset " + at);
            }
            String body = fullstats.substring(from, close).replace("[", "").replace("]", "");
            for (String tok : body.split(",")) {
                String t = tok.strip();
                if (t.isEmpty()) {
                    continue;
                }
                if (n == v.length) {
                    v = Arrays.copyOf(v, n * 2);
                }
                v[n++] = Double.parseDouble(t);
            }
        }
        return Arrays.copyOf(v, n);
    }

    long totalRequests() {
        return intervals.stream().mapToLong(Interval::requests).sum();
    }

    /**
     * The measured period: interval 0 is the first with any completed request (users ramping up),
     * intervals {@code 0 .. warmup-1} are warm-up, the next {@code duration} are measured. Tsung's
     * intervals are 1 s apart by its own timer ({@code timer:apply_interval}), so throughput is the
     * count over {@code duration} seconds.
     */
    Window window(double[] samplesMs, int warmup, int duration, double intervalS) {
        int first = -1;
        for (int i = 0; i < intervals.size() && first < 0; i++) {
            if (intervals.get(i).requests() > 0) {
                first = i;
            }
        }
        if (first < 0) {
            throw new IllegalStateException("tsung completed no request (see tsung.log and the controller log)");
        }
        int from = first + warmup, to = from + duration; // [from, to)
        if (to > intervals.size() - 1) { // the last block is tsung's partial one at shutdown
            throw new IllegalStateException("tsung logged " + (intervals.size() - 1 - first) + " full intervals after"
                    + " its first answer; " + (warmup + duration) + " were needed (warm-up + duration)");
        }
        long skip = 0, count = 0, errors = 0;
        for (int i = 0; i < to; i++) {
            Interval in = intervals.get(i);
            if (i < from) {
                skip += in.requests();
            } else {
                count += in.requests();
                errors += in.errors();
            }
        }
        if (skip + count > samplesMs.length) {
            throw new IllegalStateException("tsung-fullstats.log holds " + samplesMs.length + " request samples but"
                    + " tsung.log counts " + (skip + count) + " up to the end of the measured period");
        }
        double[] w = Arrays.copyOfRange(samplesMs, (int) skip, (int) (skip + count));
        Arrays.sort(w);
        double sum = 0;
        for (double x : w) {
            sum += x;
        }
        return new Window(duration, count, count / (duration * intervalS), ms(count == 0 ? Double.NaN : sum / count),
                ms(percentile(w, 50)), ms(percentile(w, 90)), ms(percentile(w, 99)), ms(percentile(w, 99.9)),
                ms(w.length == 0 ? Double.NaN : w[w.length - 1]), errors,
                from > 0 ? intervals.get(from - 1).dumpEpochS() : intervals.get(0).dumpEpochS() - 1,
                intervals.get(to - 1).dumpEpochS());
    }

    /** Nearest-rank percentile of sorted values (the smallest value with at least p% at or below it). */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }

    private static double ms(double ms) {
        return ms * 1000.0;
    }
}
