package dev.wsstudy.loadgen.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The observer threads run at nice 19 so that the event loop, which times the messages, preempts them. */
class BackgroundTest {
    @TempDir
    Path dir;

    @Test
    void theIntervalTickerAndTheServerSamplerRunAtNiceNineteenWhileTheCallerKeepsItsPriority() throws Exception {
        assumeTrue(Files.isSymbolicLink(Path.of("/proc/thread-self")), "no /proc/thread-self (not Linux)");
        Metrics m = new Metrics();
        long start = System.nanoTime();
        ServerSampler sampler = new ServerSampler(ProcessHandle.current().pid());
        try (IntervalTicker ticker = new IntervalTicker(m, dir, start, System.currentTimeMillis(), new long[0]).start()) {
            sampler.start(start);
            assertThat(awaitNice("interval-ticker")).as("interval-ticker's nice").isEqualTo(Background.NICE);
            assertThat(awaitNice("server-sampler")).as("server-sampler's nice").isEqualTo(Background.NICE);
            String self = Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
            assertThat(Background.niceOf(self)).as("the caller's nice").isZero();
        } finally {
            sampler.close();
        }
    }

    /** The nice value of this process's thread whose name (comm, 15 characters at most) is {@code comm}, once it is 19 or after 30 s. */
    private static Integer awaitNice(String comm) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        Integer nice = null;
        while (System.nanoTime() < deadline) {
            try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
                for (Path t : tasks.toList()) {
                    if (Files.readString(t.resolve("comm")).strip().equals(comm)) {
                        nice = Background.niceOf(t.getFileName().toString());
                    }
                }
            }
            if (nice != null && nice == Background.NICE) return nice;
            Thread.sleep(20);
        }
        return nice;
    }
}
