package dev.wsstudy.loadgen;

import dev.wsstudy.loadgen.measure.IntervalTicker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything one process measured apart from its histograms (those are in its .hlog files):
 * written as {@code share.json} into the process's folder, read back and added up by the
 * coordinating process. Counters are for the whole run unless named "measured".
 */
public final class ShareReport {
    public int shareIndex;
    public int connections;
    public long connectAttempted, connectSucceeded, connectFailed;
    /** Seconds from the first connection attempt to the last completed one (connect phase). */
    public double connectPhaseS;
    public long measuredSent, measuredReceived, measuredBytes;
    public double measuredCpuSeconds;
    /** CPU of the event-loop threads only (ThreadMXBean), in the measured period. */
    public double measuredIoCpuSeconds;
    /** Run-queue wait of this process's threads in the measured period (schedstat), summed over threads. */
    public double measuredRunQueueWaitSeconds;
    public long totalSent, totalReceived, errors;
    public Map<String, Long> errorKinds = new TreeMap<>();
    public long pacerTicks, pacerBackups;
    /** Timer slack of this process's event-loop threads in ns ({@code client.TimerSlack}), -1 when unknown. */
    public long timerSlackNs = -1;
    public List<IntervalTicker.Interval> intervals = new ArrayList<>();
    public Delivery delivery;
    /** Scenario-specific results (slow consumers, churn), merged by adding numbers key by key. */
    public Map<String, Object> extra = new LinkedHashMap<>();

    public static final class Delivery {
        public long expected, delivered, lost, duplicated, reordered;
        /** Broadcasts intended in the measured period, and those that reached every member within 500 ms. */
        public long broadcasts, broadcastsWithin500ms;

        public void add(Delivery d) {
            expected += d.expected; delivered += d.delivered; lost += d.lost;
            duplicated += d.duplicated; reordered += d.reordered;
            broadcasts += d.broadcasts; broadcastsWithin500ms += d.broadcastsWithin500ms;
        }
    }
}
