package dev.wsstudy.loadgen.measure;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** Run-queue wait from the real /proc/PID/task/TID/schedstat of this JVM. */
class ProcStatTest {
    @Test
    void runQueueWaitGrowsWhileMoreThreadsSpinThanThereAreCpus() throws Exception {
        long pid = ProcessHandle.current().pid();
        long before = ProcStat.runQueueWaitNanos(pid);
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> spinners = new ArrayList<>();
        // More runnable threads than CPUs: some of them must wait on a run queue.
        for (int i = 0; i < Runtime.getRuntime().availableProcessors() + 2; i++) {
            spinners.add(Thread.ofPlatform().daemon().start(() -> {
                long x = 0;
                while (!stop.get()) x++;
            }));
        }
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            // Wait on the condition, generously: the threads that exit take their wait along,
            // so the sum is read while they still run.
            while (ProcStat.runQueueWaitNanos(pid) <= before + 1_000_000 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(ProcStat.runQueueWaitNanos(pid)).isGreaterThan(before + 1_000_000);
            assertThat(ProcStat.read(Long.toString(pid)).runQueueWaitNanos()).isPositive();
        } finally {
            stop.set(true);
            for (Thread t : spinners) t.join();
        }
    }

    @Test
    void aProcessThatIsGoneHasNoWait() {
        assertThat(ProcStat.runQueueWaitNanos(Long.MAX_VALUE)).isZero();
    }

    @Test
    void waitIsAShareOfTheWindowRoundedToATenth() {
        assertThat(ProcStat.pctOf(1_234_000_000L, 10)).isEqualTo(12.3);
        assertThat(ProcStat.pctOf(0, 10)).isEqualTo(0.0);
        assertThat(ProcStat.pctOf(5, 0)).as("no window").isNull();
    }
}
