package dev.wsstudy.loadgen.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The pacing threads' timer slack (proc(5) timerslack_ns): set per thread, only on the calling one. */
class TimerSlackTest {
    @Test
    void aThreadThatTightensItsSlackGetsOneNanosecondAndOtherThreadsKeepTheirs() throws Exception {
        assumeTrue(Files.isSymbolicLink(Path.of("/proc/thread-self")), "no /proc/thread-self (not Linux)");
        AtomicLong before = new AtomicLong(), after = new AtomicLong(), neighbour = new AtomicLong();
        Thread t = Thread.ofPlatform().start(() -> {
            before.set(TimerSlack.currentThread());
            after.set(TimerSlack.tightenCurrentThread());
        });
        t.join();
        Thread other = Thread.ofPlatform().start(() -> neighbour.set(TimerSlack.currentThread()));
        other.join();
        assertThat(before.get()).as("a new thread inherits the process's slack (Linux default 50 µs)").isPositive();
        assertThat(after.get()).isEqualTo(TimerSlack.WANTED_NS);
        assertThat(neighbour.get()).as("another thread's slack is unchanged").isEqualTo(before.get());
    }

    @Test
    void theClientsEventLoopsRunWithoutSlack() {
        assumeTrue(Files.isSymbolicLink(Path.of("/proc/thread-self")), "no /proc/thread-self (not Linux)");
        try (WsClient c = new WsClient(2, java.util.List.of(java.net.URI.create("ws://127.0.0.1:1/echo")),
                new dev.wsstudy.loadgen.measure.Metrics(), 1000, "auto")) {
            assertThat(c.timerSlackNs()).isEqualTo(TimerSlack.WANTED_NS);
        }
    }
}
