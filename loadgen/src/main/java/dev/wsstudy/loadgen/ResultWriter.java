package dev.wsstudy.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsstudy.loadgen.measure.CpuShare;
import dev.wsstudy.loadgen.measure.HlogFiles;
import dev.wsstudy.loadgen.measure.IntervalTicker;
import dev.wsstudy.loadgen.measure.LiveHeap;
import dev.wsstudy.loadgen.measure.ProcStat;
import dev.wsstudy.loadgen.measure.SelfCheck;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Writes the output folder of docs/results-format.md from a {@link Result}. */
final class ResultWriter {
    private final RunOptions o;
    private final Result r;

    ResultWriter(RunOptions o, Result r) {
        this.o = o;
        this.r = r;
    }

    void write() throws IOException {
        Histogram corrected = HlogFiles.sum(r.corrected, o.warmupS, o.totalS());
        Histogram uncorrected = HlogFiles.sum(r.uncorrected, o.warmupS, o.totalS());
        Histogram lag = HlogFiles.sum(r.lag, o.warmupS, o.totalS());
        Map<String, Object> s = summary(corrected, uncorrected, lag);
        Share.JSON.writeValue(o.out.resolve("summary.json").toFile(), s);
        Map<String, String> flat = Flatten.flatten(s);
        Files.writeString(o.out.resolve("summary.csv"), Flatten.csvLine(flat.keySet()) + "\n" + Flatten.csvLine(flat.values()) + "\n");
        if (r.liveHeapEnd != null) Files.writeString(o.out.resolve("server-live-heap-end.txt"), r.liveHeapEnd.histogramHead());
        if (r.liveHeapAfterClose != null) {
            Files.writeString(o.out.resolve("server-live-heap-after-close.txt"), r.liveHeapAfterClose.histogramHead());
        }
        if (r.startEpochMs == 0) return; // never started: the summary says why
        HlogFiles.write(o.out.resolve(HlogFiles.CORRECTED), r.startEpochMs, r.corrected);
        HlogFiles.write(o.out.resolve(HlogFiles.UNCORRECTED), r.startEpochMs, r.uncorrected);
        HlogFiles.write(o.out.resolve(HlogFiles.LAG), r.startEpochMs, r.lag);
        TreeMap<Integer, Histogram> setup = new TreeMap<>();
        setup.put(0, r.setup);
        HlogFiles.write(o.out.resolve(HlogFiles.SETUP), r.startEpochMs, setup);
        percentiles(o.out.resolve("percentiles-corrected.txt"), corrected);
        percentiles(o.out.resolve("percentiles-uncorrected.txt"), uncorrected);
        timeline();
    }

    static void percentiles(Path file, Histogram h) throws IOException {
        try (PrintStream p = new PrintStream(Files.newOutputStream(file), false, "UTF-8")) {
            h.outputPercentileDistribution(p, 5, 1.0);
        }
    }

    private Map<String, Object> summary(Histogram corrected, Histogram uncorrected, Histogram lag) {
        long sent = 0, received = 0, bytes = 0, errors = 0, attempted = 0, succeeded = 0, failed = 0, ticks = 0, backups = 0;
        double cpu = 0, ioCpu = 0, connectPhase = 0, wait = 0;
        Map<String, Long> errorKinds = new TreeMap<>();
        ShareReport.Delivery delivery = null;
        Map<String, Object> extra = new LinkedHashMap<>();
        for (ShareReport s : r.reports) {
            sent += s.measuredSent; received += s.measuredReceived; bytes += s.measuredBytes; errors += s.errors;
            attempted += s.connectAttempted; succeeded += s.connectSucceeded; failed += s.connectFailed;
            ticks += s.pacerTicks; backups += s.pacerBackups; cpu += s.measuredCpuSeconds; ioCpu += s.measuredIoCpuSeconds;
            wait += s.measuredRunQueueWaitSeconds;
            connectPhase = Math.max(connectPhase, s.connectPhaseS);
            s.errorKinds.forEach((k, v) -> errorKinds.merge(k, v, Long::sum));
            if (s.delivery != null) {
                if (delivery == null) delivery = new ShareReport.Delivery();
                delivery.add(s.delivery);
            }
            Flatten.mergeAdding(extra, s.extra);
        }
        boolean open = r.scenario != null && r.scenario.openLoop();
        Long lagP99 = open && lag.getTotalCount() > 0 ? lag.getValueAtPercentile(99) : null;
        double cpuPct = cpu / o.durationS * 100, ioCpuPct = ioCpu / o.durationS * 100;
        if (r.failureReason == null && !r.reports.isEmpty()) {
            SelfCheck.Verdict v = new SelfCheck(o.maxLagP99Us, o.maxCpuPctOfBudget, o.maxBackedUpTicksPct / 100)
                    .judge(open, lagP99, ioCpuPct, o.workers * o.ioThreads, ticks, backups);
            r.bottleneck = v.bottleneck();
            r.bottleneckReason = v.reason();
        }

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scenario", o.scenario);
        m.put("target", o.url);
        m.put("serverKind", serverKind());
        m.put("params", Params.of(o));
        m.put("startedAt", r.startedAt == null ? null : r.startedAt.toString());
        m.put("warmupS", o.warmupS);
        m.put("durationS", o.durationS);
        m.put("mode", open ? "open" : "closed");
        m.put("connections", r.scenario == null ? o.connections : r.scenario.connections());
        m.put("offeredRate", r.scenario == null ? o.rate : r.scenario.offeredRate());
        m.put("sent", sent);
        m.put("received", received);
        m.put("achievedRate", round(received / (double) o.durationS));
        m.put("throughputMBps", round(bytes / (double) o.durationS / 1e6));
        m.put("errors", errors);
        m.put("errorKinds", errorKinds);
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("corrected", stats(corrected));
        latency.put("uncorrected", stats(uncorrected));
        if (o.targets().size() > 1 && r.scenario instanceof dev.wsstudy.loadgen.scenario.Broadcast) {
            latency.put("crossNode", stats(r.crossNode)); // corrected, measured period, members on different nodes
            latency.put("sameNode", stats(r.sameNode));
        }
        m.put("latency", latency);
        Map<String, Object> connect = new LinkedHashMap<>();
        connect.put("attempted", attempted);
        connect.put("succeeded", succeeded);
        connect.put("failed", failed);
        Map<String, Object> setupUs = new LinkedHashMap<>();
        boolean anySetup = r.setup.getTotalCount() > 0;
        setupUs.put("p50", anySetup ? r.setup.getValueAtPercentile(50) : null);
        setupUs.put("p99", anySetup ? r.setup.getValueAtPercentile(99) : null);
        setupUs.put("max", anySetup ? r.setup.getMaxValue() : null);
        connect.put("setupUs", setupUs);
        Object churnHandshakes = extra.get("measuredHandshakes");
        Double handshakesPerSec = null;
        if (churnHandshakes instanceof Number n) handshakesPerSec = round(n.doubleValue() / o.durationS);
        else if (connectPhase > 0) handshakesPerSec = round(succeeded / connectPhase);
        connect.put("handshakesPerSec", handshakesPerSec);
        m.put("connect", connect);
        m.put("delivery", delivery == null ? null : deliveryMap(delivery));
        m.put("server", server(received, succeeded));
        Map<String, Object> lg = new LinkedHashMap<>();
        lg.put("workers", o.workers);
        lg.put("transport", dev.wsstudy.loadgen.client.Transport.resolve(o.transport).option);
        long slack = r.reports.isEmpty() ? -1 : 0;
        for (ShareReport s : r.reports) slack = s.timerSlackNs < 0 || slack < 0 ? -1 : Math.max(slack, s.timerSlackNs);
        lg.put("timerSlackNs", slack < 0 ? null : slack);
        lg.put("cpuSeconds", round(cpu));
        lg.put("cpuUsPerMessage", received > 0 ? round(cpu * 1e6 / received) : null);
        lg.put("cpuPct", round(cpuPct));
        lg.put("ioThreadCpuPct", round(ioCpuPct));
        lg.put("runQueueWaitPct", dev.wsstudy.loadgen.measure.ProcStat.pctOf((long) (wait * 1e9), o.durationS));
        lg.put("maxScheduleLagUs", open && lag.getTotalCount() > 0 ? lag.getMaxValue() : null);
        lg.put("p99ScheduleLagUs", lagP99);
        lg.put("bottleneck", r.bottleneck);
        lg.put("bottleneckReason", r.bottleneckReason);
        m.put("loadgen", lg);
        m.put("scenarioDetails", extra);
        m.put("status", r.status());
        m.put("failureReason", r.failureReason);
        return m;
    }

    private String serverKind() {
        if (o.serverKind != null) return o.serverKind;
        for (String k : new String[] {"kind", "server", "serverKind"}) {
            if (r.statsBefore != null && r.statsBefore.path(k).isTextual()) return r.statsBefore.path(k).asText();
        }
        return "external";
    }

    static Map<String, Object> stats(Histogram h) {
        Map<String, Object> m = new LinkedHashMap<>();
        boolean any = h.getTotalCount() > 0;
        m.put("count", h.getTotalCount());
        m.put("mean", any ? round(h.getMean()) : null);
        double[] ps = {50, 90, 99, 99.9, 99.99};
        String[] names = {"p50", "p90", "p99", "p999", "p9999"};
        for (int i = 0; i < ps.length; i++) m.put(names[i], any ? h.getValueAtPercentile(ps[i]) : null);
        m.put("max", any ? h.getMaxValue() : null);
        return m;
    }

    private static Map<String, Object> deliveryMap(ShareReport.Delivery d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("expected", d.expected);
        m.put("delivered", d.delivered);
        m.put("lost", d.lost);
        m.put("duplicated", d.duplicated);
        m.put("reordered", d.reordered);
        m.put("within500msPct", d.broadcasts > 0 ? round(100.0 * d.broadcastsWithin500ms / d.broadcasts) : null);
        return m;
    }

    private Map<String, Object> server(long received, long connections) {
        Map<String, Object> m = new LinkedHashMap<>();
        ProcStat start = at(o.warmupS), end = at(o.totalS());
        ProcStat before = r.serverBefore, after = r.serverAfter;
        Double cpu = start != null && end != null ? round((end.cpuNanos() - start.cpuNanos()) / 1e9) : null;
        m.put("pid", o.serverPid == null ? null : o.serverPid.size() == 1 ? o.serverPid.get(0) : o.serverPid);
        m.put("cpuSeconds", cpu);
        m.put("cpuUsPerMessage", cpu != null && received > 0 ? round(cpu * 1e6 / received) : null);
        // Starvation: the server's threads waited for a CPU (schedstat) for this share of the window;
        // starvedPct counts only the waits that other processes' CPU time on its CPUs explains.
        Double waitPct = start != null && end != null
                ? ProcStat.pctOf(Math.max(0, end.runQueueWaitNanos() - start.runQueueWaitNanos()), o.durationS) : null;
        Long starvedNs = CpuShare.starvedNanos(r.serverSamples, o.warmupS, o.totalS());
        Double starvedPct = starvedNs == null ? null : ProcStat.pctOf(starvedNs, o.durationS);
        m.put("runQueueWaitPct", waitPct);
        m.put("starvedPct", starvedPct);
        m.put("starved", starvedPct == null ? null : starvedPct >= o.maxServerWaitPct);
        m.put("rssKiBStart", before == null ? null : before.rssKiB());
        Long rssEnd = end != null ? Long.valueOf(end.rssKiB()) : null;
        m.put("rssKiBEnd", rssEnd);
        Long hwm = after != null ? Long.valueOf(after.hwmKiB()) : end != null ? Long.valueOf(end.hwmKiB()) : null;
        m.put("peakRssKiB", hwm);
        boolean perConn = before != null && rssEnd != null && connections > 0 && !"churn".equals(o.scenario);
        m.put("rssKiBPerConnection", perConn ? round((rssEnd - before.rssKiB()) / (double) connections) : null);
        // Beside RSS: the live heap after a full GC, with the connections open and after closing
        // them (idle-connections, JVM servers; LiveHeap).
        LiveHeap.Reading heapEnd = r.liveHeapEnd, heapClosed = r.liveHeapAfterClose;
        m.put("liveHeapKiBEnd", heapEnd == null ? null : round(heapEnd.bytes() / 1024.0));
        m.put("liveHeapKiBAfterClose", heapClosed == null ? null : round(heapClosed.bytes() / 1024.0));
        m.put("liveHeapKiBPerConnection", heapEnd == null || heapClosed == null || connections <= 0 ? null
                : round((heapEnd.bytes() - heapClosed.bytes()) / 1024.0 / connections));
        m.put("threadsStart", before == null ? null : before.threads());
        Integer threadsMax = null;
        for (ProcStat p : r.serverSamples) if (p != null) threadsMax = threadsMax == null ? p.threads() : Math.max(threadsMax, p.threads());
        m.put("threadsMax", threadsMax);
        m.put("fdsStart", before == null || before.fds() < 0 ? null : before.fds());
        m.put("fdsEnd", after == null || after.fds() < 0 ? null : after.fds());
        m.put("socketsStart", r.socketsBefore == null || r.socketsBefore < 0 ? null : r.socketsBefore);
        m.put("socketsEnd", r.socketsAfter == null || r.socketsAfter < 0 ? null : r.socketsAfter);
        m.put("statsBefore", r.statsBefore);
        m.put("statsAfter", r.statsAfter);
        return m;
    }

    private ProcStat at(int k) {
        return k >= 0 && k < r.serverSamples.size() ? r.serverSamples.get(k) : null;
    }

    private void timeline() throws IOException {
        int last = -1;
        for (ShareReport s : r.reports) for (IntervalTicker.Interval i : s.intervals) last = Math.max(last, i.i());
        List<String> lines = new ArrayList<>();
        lines.add("t_s,sent,received,errors,p50_us,p99_us,max_us,server_cpu_pct,server_rss_kib,loadgen_cpu_pct,schedule_lag_us");
        for (int i = 0; i <= last; i++) {
            long sent = 0, recv = 0, err = 0, cpu = 0;
            for (ShareReport s : r.reports) {
                for (IntervalTicker.Interval x : s.intervals) {
                    if (x.i() == i) { sent += x.sent(); recv += x.received(); err += x.errors(); cpu += x.cpuNanos(); }
                }
            }
            Histogram h = r.corrected.get(i), l = r.lag.get(i);
            boolean any = h != null && h.getTotalCount() > 0;
            ProcStat a = at(i), b = at(i + 1);
            lines.add(String.join(",", Integer.toString(i), Long.toString(sent), Long.toString(recv), Long.toString(err),
                    any ? Long.toString(h.getValueAtPercentile(50)) : "",
                    any ? Long.toString(h.getValueAtPercentile(99)) : "",
                    any ? Long.toString(h.getMaxValue()) : "",
                    a != null && b != null ? fmt((b.cpuNanos() - a.cpuNanos()) / 1e7) : "",
                    b != null ? Long.toString(b.rssKiB()) : "",
                    fmt(cpu / 1e7),
                    l != null && l.getTotalCount() > 0 ? Long.toString(l.getMaxValue()) : ""));
        }
        Files.write(o.out.resolve("timeline.csv"), lines);
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

}
