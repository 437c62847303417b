package dev.wsstudy.loadgen.measure;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Once per second, on its own thread, closes interval {@code i} (covering seconds [i, i+1) after
 * the common start): writes the three recorders' interval histograms to {@code .hlog} files and
 * appends the counters' differences and this process's CPU time to {@link #intervals()}.
 * Interval timestamps are nominal (start + i s), so the logs of several worker processes line up
 * exactly and can be added interval by interval.
 */
public final class IntervalTicker implements AutoCloseable {
    public record Interval(int i, long sent, long received, long errors, long bytes, long cpuNanos, long ioCpuNanos, long lagMaxUs,
                           long runQueueWaitNanos) {}

    private final Metrics m;
    private final long startNanos, startEpochMs;
    private final HistogramLogWriter[] writers;
    private final Histogram[] reuse = {LatencyRecorder.newHistogram(), LatencyRecorder.newHistogram(), null};
    private final List<Interval> intervals = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stopping;
    private long lastSent, lastReceived, lastErrors, lastBytes, lastCpu, lastIoCpu, lastWait;
    private final long[] ioThreadIds;
    private int next;

    public IntervalTicker(Metrics m, Path dir, long startNanos, long startEpochMs, long[] ioThreadIds) {
        this.m = m;
        this.ioThreadIds = ioThreadIds;
        this.startNanos = startNanos;
        this.startEpochMs = startEpochMs;
        String[] names = {HlogFiles.CORRECTED, HlogFiles.UNCORRECTED, HlogFiles.LAG};
        this.writers = new HistogramLogWriter[3];
        try {
            for (int k = 0; k < 3; k++) writers[k] = HlogFiles.open(dir.resolve(names[k]), startEpochMs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Discard whatever was recorded before the start (connection setup, stray answers).
        m.latency.interval(reuse[0], reuse[1]);
        m.scheduleLag.reset();
        lastSent = m.sent.sum();
        lastReceived = m.received.sum();
        lastErrors = m.errors.sum();
        lastBytes = m.receivedBytes.sum();
        ProcStat self = ProcStat.self();
        lastCpu = self.cpuNanos();
        lastWait = self.runQueueWaitNanos();
        lastIoCpu = ioCpu();
        thread = Thread.ofPlatform().name("interval-ticker").daemon().unstarted(this::loop);
    }

    public IntervalTicker start() {
        thread.start();
        return this;
    }

    private void loop() {
        Background.lowerCurrentThread(); // an observer: never in the event loop's way
        while (!stopping) {
            long due = startNanos + (next + 1) * 1_000_000_000L;
            long wait;
            while (!stopping && (wait = due - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
            if (stopping) break;
            tick();
        }
    }

    private synchronized void tick() {
        int i = next++;
        long lagMax = 0;
        m.latency.interval(reuse[0], reuse[1]);
        reuse[2] = m.scheduleLag.getIntervalHistogram(reuse[2]);
        for (int k = 0; k < 3; k++) {
            reuse[k].setStartTimeStamp(startEpochMs + i * 1000L);
            reuse[k].setEndTimeStamp(startEpochMs + (i + 1) * 1000L);
            writers[k].outputIntervalHistogram(reuse[k]);
        }
        lagMax = reuse[2].getTotalCount() == 0 ? 0 : reuse[2].getMaxValue();
        long s = m.sent.sum(), r = m.received.sum(), e = m.errors.sum(), b = m.receivedBytes.sum();
        ProcStat self = ProcStat.self();
        long cpu = self.cpuNanos(), io = ioCpu(), wait = self.runQueueWaitNanos();
        intervals.add(new Interval(i, s - lastSent, r - lastReceived, e - lastErrors, b - lastBytes, cpu - lastCpu, io - lastIoCpu, lagMax,
                Math.max(0, wait - lastWait))); // an exited thread takes its wait along: never negative
        lastSent = s; lastReceived = r; lastErrors = e; lastBytes = b; lastCpu = cpu; lastIoCpu = io; lastWait = wait;
    }

    /** Stops ticking; the partly elapsed interval is closed too, so nothing recorded is lost. */
    @Override public void close() {
        stopping = true;
        LockSupport.unpark(thread);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tick();
        for (HistogramLogWriter w : writers) w.close();
    }

    /** CPU time of the event-loop threads: the generator's critical path (JIT and GC threads excluded). */
    private long ioCpu() {
        java.lang.management.ThreadMXBean t = java.lang.management.ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long id : ioThreadIds) sum += Math.max(0, t.getThreadCpuTime(id));
        return sum;
    }

    public synchronized List<Interval> intervals() {
        return List.copyOf(intervals);
    }
}
