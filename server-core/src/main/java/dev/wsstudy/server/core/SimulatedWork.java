package dev.wsstudy.server.core;

import java.util.concurrent.TimeUnit;

/**
 * The study's simulated per-message cost ({@code --work-cpu-us}, {@code --work-block-ms}). It runs
 * inside the application's message hook, so on whatever thread runs the handler: on the event loop
 * that thread is the only one, and a blocking call stalls every connection (the classic lesson this
 * option exists to measure); on a thread per connection it stalls only that connection.
 */
public final class SimulatedWork {

    private final long cpuNanos;
    private final long blockMillis;

    public SimulatedWork(long cpuMicros, long blockMillis) {
        this.cpuNanos = TimeUnit.MICROSECONDS.toNanos(cpuMicros);
        this.blockMillis = blockMillis;
    }

    public boolean enabled() {
        return cpuNanos > 0 || blockMillis > 0;
    }

    /** Burns then blocks, as configured; called once per received data message. */
    public void perform() {
        if (cpuNanos > 0) burn(cpuNanos);
        if (blockMillis > 0) {
            try {
                Thread.sleep(blockMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Busy-spins on {@link System#nanoTime()}: CPU time that no scheduler can take away. */
    static void burn(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
    }
}
