package dev.wsstudy.loadgen.measure;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Samples the server process from /proc at the common start and every second after it (sample
 * {@code k} is taken {@code k} seconds after the start, so interval {@code i} of the timeline is
 * samples {@code i} to {@code i + 1}); also on demand before connecting and after closing.
 */
public final class ServerSampler implements AutoCloseable {
    private final List<String> pids = new ArrayList<>();
    private final List<ProcStat> samples = new ArrayList<>();
    private Thread thread;
    private volatile boolean stopping;

    /** Several processes (the nodes of a cluster) are read together and summed. */
    public ServerSampler(List<Long> pids) {
        for (Long p : pids) this.pids.add(Long.toString(p));
    }

    public ServerSampler(long pid) {
        this(List.of(pid));
    }

    /** One reading now (summed over the processes), or null when one is gone or unreadable. */
    public ProcStat sample() {
        try {
            ProcStat sum = null;
            for (String pid : pids) {
                ProcStat s = ProcStat.read(pid);
                sum = sum == null ? s : sum.plus(s);
            }
            return sum;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    public void start(long startNanos) {
        thread = Thread.ofPlatform().name("server-sampler").daemon().start(() -> {
            Background.lowerCurrentThread(); // an observer: never in the event loop's way
            for (int k = 0; !stopping; k++) {
                long due = startNanos + k * 1_000_000_000L, w;
                while (!stopping && (w = due - System.nanoTime()) > 0) LockSupport.parkNanos(w);
                if (stopping) break;
                ProcStat s = sample();
                synchronized (samples) { samples.add(s); }
            }
        });
    }

    /** Sample {@code k} (k seconds after the start), or null if not taken or unreadable. */
    public ProcStat at(int k) {
        synchronized (samples) {
            return k >= 0 && k < samples.size() ? samples.get(k) : null;
        }
    }

    /** Waits (bounded) until sample {@code k} was taken, so the end of the measured period is never missed. */
    public void awaitSample(int k, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (System.nanoTime() < deadline) {
            synchronized (samples) {
                if (samples.size() > k) return;
            }
            Thread.sleep(10);
        }
    }

    public List<ProcStat> samples() {
        synchronized (samples) { return new ArrayList<>(samples); }
    }

    @Override public void close() {
        stopping = true;
        if (thread != null) {
            LockSupport.unpark(thread);
            try { thread.join(); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
        }
    }
}
