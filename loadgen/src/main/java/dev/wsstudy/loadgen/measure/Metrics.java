package dev.wsstudy.loadgen.measure;

import org.HdrHistogram.Recorder;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one process measures. Written by the event-loop threads, read by the interval ticker.
 * {@link Recorder} gives loss-free interval histograms with several writers; counters are
 * {@link LongAdder}s read cumulatively (the ticker takes differences).
 */
public final class Metrics {
    /** 1 µs .. 60 s, 3 significant digits: the contract in docs/results-format.md. */
    public static final long LOWEST_US = 1, HIGHEST_US = 60_000_000L;
    public static final int DIGITS = 3;

    /** Corrected (from the intended send time) and uncorrected (from the actual send time), per message. */
    public final LatencyRecorder latency = new LatencyRecorder();
    /** How late the pacer handed each message to its event loop (open loop only). */
    public final Recorder scheduleLag = newRecorder();
    /**
     * Several targets (cluster nodes): corrected latency of the measured period's deliveries
     * between members on different nodes / on the same node (the cost of crossing nodes).
     */
    public final Recorder crossNode = newRecorder();
    public final Recorder sameNode = newRecorder();
    /** TCP connect + WebSocket handshake, per successful connection. */
    public final Recorder connectSetup = newRecorder();

    public final LongAdder sent = new LongAdder();
    public final LongAdder received = new LongAdder();
    public final LongAdder receivedBytes = new LongAdder();
    public final LongAdder errors = new LongAdder();
    public final LongAdder connectAttempted = new LongAdder();
    public final LongAdder connectSucceeded = new LongAdder();
    public final LongAdder connectFailed = new LongAdder();
    /** Pacer ticks that found the previous batch not yet run by its event loop. */
    public final LongAdder pacerBackups = new LongAdder();
    public final LongAdder pacerTicks = new LongAdder();
    private final Map<String, LongAdder> errorKinds = new ConcurrentHashMap<>();

    public static Recorder newRecorder() {
        return new Recorder(LOWEST_US, HIGHEST_US, DIGITS);
    }

    /** Records one message's latency from its intended and its actual send time. */
    public void recordLatency(long receivedNanos, long intendedNanos, long actualNanos) {
        latency.record(toUs(receivedNanos - intendedNanos), toUs(receivedNanos - actualNanos));
    }

    /** Nanoseconds to µs, clamped into the trackable range so a wild value cannot throw. */
    public static long toUs(long nanos) {
        long us = nanos / 1000;
        return us < 0 ? 0 : Math.min(us, HIGHEST_US);
    }

    public void error(String kind) {
        errors.increment();
        errorKinds.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    public void errors(String kind, long n) {
        if (n <= 0) return;
        errors.add(n);
        errorKinds.computeIfAbsent(kind, k -> new LongAdder()).add(n);
    }

    public Map<String, Long> errorKinds() {
        Map<String, Long> m = new TreeMap<>();
        errorKinds.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }
}
