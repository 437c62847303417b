package dev.wsstudy.loadgen.measure;

import java.util.ArrayList;
import java.util.List;

/**
 * Decides whether the load generator, not the server, limited a measurement. A flagged result is
 * published with {@code status = "loadgen-bottleneck"} and the reasons, never silently.
 *
 * @param maxLagP99Us       schedule-lag p99 above this: the pacer could not keep its send schedule
 * @param maxCpuPctOfBudget event-loop CPU above this percentage of its cores (workers x io threads)
 * @param maxBackupRatio    share of pacer ticks that found the previous batch still queued
 */
public record SelfCheck(long maxLagP99Us, double maxCpuPctOfBudget, double maxBackupRatio) {
    public record Verdict(boolean bottleneck, String reason) {}

    /** Below this share of its budget the generator was mostly idle, so a schedule lag is not its CPU's doing. */
    static final double IDLE_SHARE = 0.25;

    /**
     * @param openLoop   schedule lag and backups only mean something with a send schedule
     * @param cpuPct     CPU of the event-loop threads of all loadgen processes, 100 = one core (the
     *                   critical path: JIT compiler and GC threads run beside it on other cores)
     * @param coreBudget cores the generator may use (workers x io threads)
     */
    public Verdict judge(boolean openLoop, Long lagP99Us, double cpuPct, int coreBudget, long pacerTicks, long pacerBackups) {
        List<String> reasons = new ArrayList<>();
        double budgetPct = 100.0 * coreBudget;
        if (openLoop && lagP99Us != null && lagP99Us > maxLagP99Us) {
            String lag = "schedule lag p99 " + lagP99Us + " us > " + maxLagP99Us + " us";
            if (cpuPct < budgetPct * IDLE_SHARE) {
                // Late although mostly idle: the sends woke late, which a CPU-bound generator is not
                // needed for. The machine's own stalls (run.json machineJitter) do the same; still
                // flagged, since the latency from the intended send time includes the lateness.
                lag += String.format(java.util.Locale.ROOT, " with the event loop at %.0f%% of its %d core(s): late"
                        + " wake-ups, not a busy generator (compare the machine-jitter baseline)", cpuPct, coreBudget);
            }
            reasons.add(lag);
        }
        if (cpuPct > budgetPct * maxCpuPctOfBudget / 100.0) {
            reasons.add(String.format(java.util.Locale.ROOT, "loadgen event-loop CPU %.0f%% > %.0f%% of its %d core(s)",
                    cpuPct, maxCpuPctOfBudget, coreBudget));
        }
        if (openLoop && pacerTicks > 0 && pacerBackups > maxBackupRatio * pacerTicks) {
            reasons.add("send queue backed up on " + pacerBackups + " of " + pacerTicks + " pacer ticks");
        }
        return new Verdict(!reasons.isEmpty(), reasons.isEmpty() ? null : String.join("; ", reasons));
    }
}
