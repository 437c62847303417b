package dev.wsstudy.suite;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress on stderr: trials done / total, elapsed, and an ETA. The ETA is the planned time still
 * ahead (warm-up + duration + overheads, as in {@link Plan}) scaled by how the run has kept to plan
 * so far, once enough of it has run to say (the pace is clamped to 0.5–3× so one slow start-up
 * does not make the estimate jump).
 */
final class Progress {
    private final PrintStream out;
    private final LongSupplier nanos;
    private final long startNanos;
    private final double plannedTotalS;
    private final int totalTrials;
    private double plannedDoneS;
    private int trialsDone;

    Progress(PrintStream out, double plannedTotalS, int totalTrials, LongSupplier nanos) {
        this.out = out;
        this.nanos = nanos;
        this.startNanos = nanos.getAsLong();
        this.plannedTotalS = plannedTotalS;
        this.totalTrials = totalTrials;
    }

    double elapsedS() {
        return (nanos.getAsLong() - startNanos) / 1e9;
    }

    /** Planned seconds still ahead × observed pace. */
    double etaS() {
        double remaining = Math.max(0, plannedTotalS - plannedDoneS);
        double pace = plannedDoneS >= 10 ? Math.min(3, Math.max(0.5, elapsedS() / plannedDoneS)) : 1;
        return remaining * pace;
    }

    /** Marks planned work as done (a trial, a server start, or everything a failed start skipped). */
    void advance(double plannedS, int trials) {
        plannedDoneS += plannedS;
        trialsDone += trials;
    }

    int trialsDone() {
        return trialsDone;
    }

    String status() {
        return String.format(Locale.ROOT, "[%d/%d %3.0f%% · elapsed %s · ETA %s]", trialsDone, totalTrials,
                plannedTotalS == 0 ? 100 : 100 * Math.min(1, plannedDoneS / plannedTotalS),
                Plan.clock(elapsedS()), Plan.clock(etaS()));
    }

    void say(String what) {
        out.println(status() + " " + what);
        out.flush();
    }
}
