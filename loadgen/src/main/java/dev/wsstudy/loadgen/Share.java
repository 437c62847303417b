package dev.wsstudy.loadgen;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.wsstudy.loadgen.client.WsClient;
import dev.wsstudy.loadgen.measure.HlogFiles;
import dev.wsstudy.loadgen.measure.IntervalTicker;
import dev.wsstudy.loadgen.measure.Metrics;
import dev.wsstudy.loadgen.scenario.Scenario;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * One process's share of a run: connect, wait for the common start, run, close, and write
 * {@code share.json} plus the .hlog files into its folder. Used in-process by {@code run} (share 0)
 * and by each {@code worker} process.
 */
public final class Share implements AutoCloseable {
    public static final String REPORT = "share.json";
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final Scenario scenario;
    private final Metrics metrics = new Metrics();
    private final WsClient client;
    private final ShareContext ctx;
    private final Log log;

    public Share(RunOptions o, int index, int count, List<InetAddress> sources, Path dir, Log log) {
        this.dir = dir;
        this.log = log;
        this.scenario = Scenario.create(o);
        this.client = new WsClient(o.ioThreads, o.targets(), metrics, o.connectTimeoutMs, o.transport);
        this.ctx = new ShareContext(o, index, count, sources, metrics, client, log);
    }

    public Scenario scenario() {
        return scenario;
    }

    /** Runs {@code r} at the end of an idle hold (see {@link ShareContext#holdEnded()}). */
    public void onHoldEnd(Runnable r) {
        ctx.onHoldEnd(r);
    }

    /** Phase 1: open this share's connections. */
    public void connect() throws Exception {
        scenario.connect(ctx);
        log.info("share %d: %d connections open (%d failed) in %.2f s", ctx.shareIndex,
                metrics.connectSucceeded.sum(), metrics.connectFailed.sum(), ctx.report.connectPhaseS);
    }

    /** Phase 2 and 3: run from the common start, close, and write the share's files. */
    public ShareReport run(long startNanos, long startEpochMs) throws Exception {
        ctx.setStart(startNanos);
        IntervalTicker ticker = new IntervalTicker(metrics, dir, startNanos, startEpochMs, client.ioThreadIds()).start();
        try {
            scenario.run(ctx);
            scenario.close(ctx);
        } finally {
            ticker.close();
        }
        return finish(ticker.intervals(), ctx.o, startEpochMs);
    }

    /** The counters so far, for a run that failed before it started (connect phase). */
    public ShareReport partialReport() {
        return counters(ctx.report);
    }

    private ShareReport counters(ShareReport r) {
        r.connections = (int) metrics.connectSucceeded.sum();
        r.connectAttempted = metrics.connectAttempted.sum();
        r.connectSucceeded = metrics.connectSucceeded.sum();
        r.connectFailed = metrics.connectFailed.sum();
        r.totalSent = metrics.sent.sum();
        r.totalReceived = metrics.received.sum();
        r.errors = metrics.errors.sum();
        r.errorKinds = metrics.errorKinds();
        r.pacerTicks = metrics.pacerTicks.sum();
        r.pacerBackups = metrics.pacerBackups.sum();
        r.timerSlackNs = client.timerSlackNs();
        return r;
    }

    private ShareReport finish(List<IntervalTicker.Interval> intervals, RunOptions o, long startEpochMs) throws IOException {
        ShareReport r = counters(ctx.report);
        r.intervals = intervals;
        long cpu = 0, io = 0, wait = 0;
        for (IntervalTicker.Interval i : intervals) {
            if (i.i() >= o.warmupS && i.i() < o.totalS()) {
                r.measuredSent += i.sent();
                r.measuredReceived += i.received();
                r.measuredBytes += i.bytes();
                cpu += i.cpuNanos();
                io += i.ioCpuNanos();
                wait += i.runQueueWaitNanos();
            }
        }
        r.measuredCpuSeconds = cpu / 1e9;
        r.measuredIoCpuSeconds = io / 1e9;
        r.measuredRunQueueWaitSeconds = wait / 1e9;
        // Connection setup over the whole run, as one interval.
        Histogram setup = metrics.connectSetup.getIntervalHistogram();
        setup.setStartTimeStamp(startEpochMs);
        setup.setEndTimeStamp(startEpochMs + 1000);
        HistogramLogWriter w = HlogFiles.open(dir.resolve(HlogFiles.SETUP), startEpochMs);
        w.outputIntervalHistogram(setup);
        w.close();
        if (o.targets().size() > 1) {
            writeWhole(metrics.crossNode, HlogFiles.CROSS_NODE, startEpochMs + o.warmupS * 1000L, startEpochMs + o.totalS() * 1000L);
            writeWhole(metrics.sameNode, HlogFiles.SAME_NODE, startEpochMs + o.warmupS * 1000L, startEpochMs + o.totalS() * 1000L);
        }
        JSON.writeValue(dir.resolve(REPORT).toFile(), r);
        return r;
    }

    /** Everything {@code recorder} holds, as one interval of a log starting at {@code fromMs}. */
    private void writeWhole(org.HdrHistogram.Recorder recorder, String name, long fromMs, long toMs) throws IOException {
        Histogram h = recorder.getIntervalHistogram();
        h.setStartTimeStamp(fromMs);
        h.setEndTimeStamp(toMs);
        HistogramLogWriter w = HlogFiles.open(dir.resolve(name), fromMs);
        w.outputIntervalHistogram(h);
        w.close();
    }

    public static ShareReport readReport(Path dir) throws IOException {
        return JSON.readValue(dir.resolve(REPORT).toFile(), ShareReport.class);
    }

    @Override public void close() {
        client.close();
    }
}
