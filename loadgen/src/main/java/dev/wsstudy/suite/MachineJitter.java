package dev.wsstudy.suite;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wsstudy.loadgen.client.TimerSlack;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The machine-jitter probe ("hiccup" probe): a thread that does nothing but sleep 1 ms, over and
 * over, and records how late it wakes up. Whatever delays it (another process, kernel work such as
 * DAMON's {@code kdamond}, the hypervisor taking the vCPU away) delays a server or a load generator
 * on that CPU just the same, so its lateness is the floor under every latency measured there: an
 * open-loop generator times each message from its intended send time, and a 4 ms stall delays every
 * message scheduled during it by up to 4 ms, whatever the server does.
 * <p>
 * Runs as its own short JVM ({@link JitterBaseline} starts one per pinned CPU with that CPU's
 * taskset prefix) and prints one JSON line. The thread's timer slack is set to 1 ns first (as the
 * loadgen's pacing threads do, {@link TimerSlack}), so the kernel's default 50 µs of allowed
 * lateness is not counted as jitter. The first {@link #WARMUP_MS} ms are not recorded: they
 * measure the JVM starting (class loading, the JIT compiling this loop), not the machine.
 */
@Command(name = "machine-jitter", mixinStandardHelpOptions = true,
        description = "Sleeps 1 ms repeatedly and prints, as one JSON line, how late the thread woke up.")
public final class MachineJitter implements Callable<Integer> {
    static final long SLEEP_NS = TimeUnit.MILLISECONDS.toNanos(1);
    static final long WARMUP_MS = 500;
    /** A wake-up this late or later counts as a stall. */
    static final long STALL_US = 1000;
    private static final long HIGHEST_US = TimeUnit.SECONDS.toMicros(60);

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "5",
            description = "how long to measure, after the warm-up (default: ${DEFAULT-VALUE})")
    int seconds;

    public static void main(String[] args) {
        System.exit(new CommandLine(new MachineJitter()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (seconds < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--seconds must be at least 1");
        }
        long slackNs = TimerSlack.tightenCurrentThread();
        sleepLoop(TimeUnit.MILLISECONDS.toNanos(WARMUP_MS), new Recording());
        Recording r = new Recording();
        sleepLoop(TimeUnit.SECONDS.toNanos(seconds), r);
        System.out.println(new ObjectMapper().writeValueAsString(r.json(seconds, slackNs)));
        return 0;
    }

    /**
     * Sleeps 1 ms at a time for {@code forNs}, recording each wake-up's lateness (actual wake minus
     * intended wake). A park may return early (spuriously, or on an unpark nobody sends here): it
     * parks again for what is left, so only lateness is measured, never an early return.
     */
    static void sleepLoop(long forNs, Recording into) {
        long end = System.nanoTime() + forNs;
        long now = System.nanoTime();
        while (now < end) {
            long intended = now + SLEEP_NS;
            while ((now = System.nanoTime()) < intended) {
                LockSupport.parkNanos(intended - now);
            }
            into.record(now - intended);
        }
    }

    /** Lateness in µs (1 µs to 60 s, 3 significant digits), and the stalls counted exactly. */
    static final class Recording {
        final Histogram lateUs = new Histogram(1, HIGHEST_US, 3);
        long stalls;
        long stallUs;

        void record(long lateNs) {
            long us = Math.min(HIGHEST_US, lateNs / 1000);
            lateUs.recordValue(us);
            if (us >= STALL_US) {
                stalls++;
                stallUs += us;
            }
        }

        /** The probe's JSON line: samples, percentiles and max in µs, stalls ≥ 1 ms, the timer slack in force. */
        ObjectNode json(int seconds, long slackNs) {
            ObjectNode r = new ObjectMapper().createObjectNode();
            r.put("durationS", seconds);
            r.put("sleepMs", TimeUnit.NANOSECONDS.toMillis(SLEEP_NS));
            if (slackNs < 0) {
                r.putNull("timerSlackNs");
            } else {
                r.put("timerSlackNs", slackNs);
            }
            r.put("samples", lateUs.getTotalCount());
            r.put("p50Us", lateUs.getValueAtPercentile(50));
            r.put("p99Us", lateUs.getValueAtPercentile(99));
            r.put("p999Us", lateUs.getValueAtPercentile(99.9));
            r.put("maxUs", lateUs.getMaxValue());
            r.put("stallsOver1ms", stalls);
            r.put("stallMsTotal", Math.round(stallUs / 100.0) / 10.0);
            return r;
        }
    }
}
