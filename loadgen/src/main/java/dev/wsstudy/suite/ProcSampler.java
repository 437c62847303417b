package dev.wsstudy.suite;

import dev.wsstudy.loadgen.measure.ProcStat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * Samples, every {@link #PERIOD_MS} while a client runs, the CPU time and the run-queue wait of the
 * client's processes and of the server. CPU time is utime + stime of each process (/proc/PID/stat);
 * the wait is the time its threads were runnable but not running, summed over threads (the second
 * field of /proc/PID/task/TID/schedstat, in ns). On a machine busy with other work the wait shows
 * how much a client or the server was held back by that work rather than by its own cost. A process
 * whose threads queue behind each other (a server saturating its one CPU) waits too, so the wait
 * is bounded, per pair of samples, by the busy time of its CPUs that was not its own ({@link
 * dev.wsstudy.loadgen.measure.CpuShare}'s rule): what is left is time other work held it back.
 *
 * <p>The client is found by a marker in its command line among this JVM's descendants (the
 * loadgen's {@code --out DIR}, tsung's controller id), together with all of their descendants.
 */
final class ProcSampler implements AutoCloseable {
    static final long PERIOD_MS = 200;

    /** CPU and wait of each side, and the busy time since boot of the CPUs each may run on (-1: unknown). */
    record Sample(long epochMs, long clientCpuNs, long clientWaitNs, long serverCpuNs, long serverWaitNs,
                  long clientCpusBusyNs, long serverCpusBusyNs) {}

    /**
     * Over a window: wall seconds; CPU and wait seconds of the client and the server; and how long
     * each was held back by other work (its wait bounded by the others' busy time on its CPUs; NaN
     * when the CPUs' busy time is unknown).
     */
    record Window(double wallS, double clientCpuS, double clientWaitS, double serverCpuS, double serverWaitS,
                  double clientHeldS, double serverHeldS) {
        double pct(double s) {
            return 100 * s / wallS;
        }
    }

    private final String marker;
    private final long serverPid;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    ProcSampler(String marker, long serverPid) {
        this.marker = marker;
        this.serverPid = serverPid;
        this.thread = Thread.ofPlatform().daemon().name("crosscheck-sampler").start(this::loop);
    }

    private void loop() {
        while (running) {
            Set<ProcessHandle> client = new LinkedHashSet<>();
            ProcessHandle.current().descendants()
                    .filter(h -> h.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                    .forEach(h -> {
                        client.add(h);
                        h.descendants().forEach(client::add);
                    });
            long cpu = 0, wait = 0, clientBusy = -1;
            for (ProcessHandle h : client) {
                ProcStat p = read(h.pid());
                cpu += p == null ? 0 : p.cpuNanos();
                wait += waitNs(h.pid());
                if (clientBusy < 0 && p != null) clientBusy = p.cpusBusyNanos(); // the whole tree has one pinning
            }
            ProcStat server = read(serverPid);
            Sample s = new Sample(System.currentTimeMillis(), cpu, wait, server == null ? 0 : server.cpuNanos(),
                    waitNs(serverPid), clientBusy, server == null ? -1 : server.cpusBusyNanos());
            synchronized (samples) {
                samples.add(s);
            }
            try {
                Thread.sleep(PERIOD_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    void writeCsv(Path file) throws IOException {
        StringBuilder sb = new StringBuilder("epoch_ms,client_cpu_ms,client_wait_ms,server_cpu_ms,server_wait_ms,"
                + "client_cpus_busy_ms,server_cpus_busy_ms\n");
        for (Sample s : samples()) {
            sb.append(s.epochMs()).append(',').append(s.clientCpuNs() / 1_000_000).append(',')
                    .append(s.clientWaitNs() / 1_000_000).append(',').append(s.serverCpuNs() / 1_000_000).append(',')
                    .append(s.serverWaitNs() / 1_000_000).append(',').append(ms(s.clientCpusBusyNs())).append(',')
                    .append(ms(s.serverCpusBusyNs())).append('\n');
        }
        Files.writeString(file, sb);
    }

    /** The window [fromMs, toMs], between the samples nearest its edges; NaN when the samples do not span it. */
    static Window window(List<Sample> samples, long fromMs, long toMs) {
        Sample a = nearest(samples, fromMs), b = nearest(samples, toMs);
        if (a == null || b == null || b.epochMs() <= a.epochMs()) {
            return new Window(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        List<Sample> in = samples.subList(samples.indexOf(a), samples.indexOf(b) + 1);
        return new Window((b.epochMs() - a.epochMs()) / 1e3, (b.clientCpuNs() - a.clientCpuNs()) / 1e9,
                (b.clientWaitNs() - a.clientWaitNs()) / 1e9, (b.serverCpuNs() - a.serverCpuNs()) / 1e9,
                (b.serverWaitNs() - a.serverWaitNs()) / 1e9,
                held(in, Sample::clientCpuNs, Sample::clientWaitNs, Sample::clientCpusBusyNs),
                held(in, Sample::serverCpuNs, Sample::serverWaitNs, Sample::serverCpusBusyNs));
    }

    /** Seconds held back by other work: per pair of samples, the smaller of the wait and the others' busy time. */
    private static double held(List<Sample> in, ToLongFunction<Sample> cpu, ToLongFunction<Sample> wait,
                               ToLongFunction<Sample> busy) {
        long sum = 0;
        for (int k = 0; k + 1 < in.size(); k++) {
            Sample x = in.get(k), y = in.get(k + 1);
            if (busy.applyAsLong(x) < 0 || busy.applyAsLong(y) < 0) return Double.NaN;
            long w = Math.max(0, wait.applyAsLong(y) - wait.applyAsLong(x));
            long others = Math.max(0, busy.applyAsLong(y) - busy.applyAsLong(x) - (cpu.applyAsLong(y) - cpu.applyAsLong(x)));
            sum += Math.min(w, others);
        }
        return sum / 1e9;
    }

    private static long ms(long ns) {
        return ns < 0 ? -1 : ns / 1_000_000;
    }

    private static Sample nearest(List<Sample> samples, long ms) {
        Sample best = null;
        for (Sample s : samples) {
            if (best == null || Math.abs(s.epochMs() - ms) < Math.abs(best.epochMs() - ms)) {
                best = s;
            }
        }
        return best;
    }

    private static ProcStat read(long pid) {
        try {
            return ProcStat.read(Long.toString(pid));
        } catch (IOException | RuntimeException e) {
            return null; // exited between listing and reading
        }
    }

    /** Run-queue wait of all threads of {@code pid}, ns; 0 where the kernel does not report it. */
    static long waitNs(long pid) {
        return ProcStat.runQueueWaitNanos(pid);
    }
}
