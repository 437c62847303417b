package dev.wsstudy.loadgen.measure;

import org.HdrHistogram.AtomicHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.WriterReaderPhaser;

/**
 * The corrected and uncorrected latency of each message, recorded as a pair so that both land in
 * the same interval: one {@link WriterReaderPhaser} and one active pair of histograms, swapped by a
 * single reference write (two separate {@code Recorder}s would split messages recorded between
 * their two swaps, and the intervals' counts would disagree). Many writers (the event loops), one
 * reader (the interval ticker).
 */
public final class LatencyRecorder {
    private record Pair(AtomicHistogram corrected, AtomicHistogram uncorrected) {
        static Pair create() {
            return new Pair(new AtomicHistogram(Metrics.LOWEST_US, Metrics.HIGHEST_US, Metrics.DIGITS),
                    new AtomicHistogram(Metrics.LOWEST_US, Metrics.HIGHEST_US, Metrics.DIGITS));
        }
    }

    private final WriterReaderPhaser phaser = new WriterReaderPhaser();
    private volatile Pair active = Pair.create();
    private Pair inactive = Pair.create();

    public void record(long correctedUs, long uncorrectedUs) {
        long v = phaser.writerCriticalSectionEnter();
        try {
            Pair p = active;
            p.corrected.recordValue(correctedUs);
            p.uncorrected.recordValue(uncorrectedUs);
        } finally {
            phaser.writerCriticalSectionExit(v);
        }
    }

    /** Moves everything recorded since the last call into {@code corrected} and {@code uncorrected} (reset first). */
    public synchronized void interval(Histogram corrected, Histogram uncorrected) {
        phaser.readerLock();
        try {
            inactive.corrected.reset();
            inactive.uncorrected.reset();
            Pair closing = active;
            active = inactive;
            inactive = closing;
            phaser.flipPhase(); // waits until no writer can still be inside 'closing'
        } finally {
            phaser.readerUnlock();
        }
        corrected.reset();
        corrected.add(inactive.corrected);
        uncorrected.reset();
        uncorrected.add(inactive.uncorrected);
    }

    public static Histogram newHistogram() {
        return new Histogram(Metrics.LOWEST_US, Metrics.HIGHEST_US, Metrics.DIGITS);
    }
}
