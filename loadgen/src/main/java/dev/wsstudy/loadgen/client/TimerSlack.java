package dev.wsstudy.loadgen.client;

import dev.wsstudy.loadgen.measure.ProcStat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Linux lets the kernel fire a thread's timed waits up to its "timer slack" late (50 µs by
 * default, so that nearby wake-ups can be merged: prctl(2) PR_SET_TIMERSLACK, proc(5)
 * {@code /proc/PID/timerslack_ns}). For an open-loop generator that lateness is a measurement
 * error: every message is timed from its intended send time, so a timer that fires 50 µs late
 * adds 50 µs to every corrected latency while the server did nothing wrong. Measured here with a
 * Netty epoll loop re-arming a 200 µs timer (2 cores, 2026-11-28, machine busy): overshoot p50
 * 71–76 µs at the default slack, 26 µs at 1 ns.
 * <p>
 * So the threads that pace sends (event loops, the NIO pacer thread) ask for 1 ns. A thread may
 * set its own process's threads' slack without privileges; {@code /proc/thread-self} names the
 * calling thread. Where it cannot be set (not Linux, no /proc) nothing changes and the result
 * says so ({@code loadgen.timerSlackNs} is null).
 */
public final class TimerSlack {
    public static final long WANTED_NS = 1;

    private TimerSlack() {}

    /** Sets the calling thread's timer slack to {@link #WANTED_NS}; returns the slack now in force, or -1 if unknown. */
    public static long tightenCurrentThread() {
        try {
            Path self = selfFile();
            Files.writeString(self, Long.toString(WANTED_NS));
            return Long.parseLong(Files.readString(self).strip());
        } catch (IOException | RuntimeException e) {
            return currentThread();
        }
    }

    /** The calling thread's timer slack in ns, or -1 if it cannot be read. */
    public static long currentThread() {
        try {
            return Long.parseLong(Files.readString(selfFile()).strip());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** {@code /proc/TID/timerslack_ns} of the calling thread (the file is per thread but listed under /proc only by id). */
    private static Path selfFile() throws IOException {
        return Path.of("/proc", ProcStat.currentThreadId(), "timerslack_ns");
    }
}
