package dev.wsstudy.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcSamplerTest {
    @TempDir
    Path tmp;

    @Test
    void windowTakesTheSamplesNearestItsEdges() {
        List<ProcSampler.Sample> s = List.of(new ProcSampler.Sample(1000, 0, 0, 0, 0, -1, -1),
                new ProcSampler.Sample(2000, 400_000_000L, 10_000_000L, 100_000_000L, 0, -1, -1),
                new ProcSampler.Sample(3000, 900_000_000L, 260_000_000L, 300_000_000L, 50_000_000L, -1, -1),
                new ProcSampler.Sample(4000, 1_000_000_000L, 300_000_000L, 350_000_000L, 60_000_000L, -1, -1));
        ProcSampler.Window w = ProcSampler.window(s, 2100, 2900);
        assertThat(w.wallS()).isEqualTo(1.0);
        assertThat(w.clientCpuS()).isEqualTo(0.5);
        assertThat(w.pct(w.clientWaitS())).isEqualTo(25.0);
        assertThat(w.serverCpuS()).isEqualTo(0.2);
        assertThat(w.serverWaitS()).isEqualTo(0.05);
        assertThat(w.serverHeldS()).as("the CPUs' busy time unknown").isNaN();
        assertThat(ProcSampler.window(s, 5000, 6000).wallS()).as("samples do not span it").isNaN();
        assertThat(ProcSampler.window(List.of(), 0, 1).wallS()).isNaN();
    }

    @Test
    void waitingBehindItsOwnThreadsIsNotHeldBackOnlyWaitWhileOthersUsedTheCpuIs() {
        // Server, 1 s apart: first second it used its whole CPU and its threads queued 300 ms behind
        // each other (busy = its own CPU); second second others took 100 ms of its CPU while it waited 250 ms.
        List<ProcSampler.Sample> s = List.of(new ProcSampler.Sample(0, 0, 0, 0, 0, 0, 0),
                new ProcSampler.Sample(1000, 0, 0, 1_000_000_000L, 300_000_000L, 0, 1_000_000_000L),
                new ProcSampler.Sample(2000, 0, 0, 1_900_000_000L, 550_000_000L, 0, 2_000_000_000L));
        ProcSampler.Window w = ProcSampler.window(s, 0, 2000);
        assertThat(w.serverWaitS()).isEqualTo(0.55);
        assertThat(w.serverHeldS()).isEqualTo(0.1);
        assertThat(w.clientHeldS()).isZero();
    }

    @Test
    void aBusyChildIsFoundByTheMarkerInItsCommandLineAndItsCpuCounted() throws Exception {
        String marker = "crosscheck-marker-" + ProcessHandle.current().pid();
        // a shell busy for a while; the marker is its $0, so it appears in its command line only
        Process busy = new ProcessBuilder("sh", "-c", "i=0; while [ $i -lt 400000 ]; do i=$((i+1)); done", marker)
                .start();
        List<ProcSampler.Sample> samples;
        try (ProcSampler sampler = new ProcSampler(marker, ProcessHandle.current().pid())) {
            busy.waitFor();
            Thread.sleep(2 * ProcSampler.PERIOD_MS);
            sampler.close();
            sampler.writeCsv(tmp.resolve("cpu.csv"));
            samples = sampler.samples();
        }
        assertThat(samples).hasSizeGreaterThan(1);
        long maxClientCpu = samples.stream().mapToLong(ProcSampler.Sample::clientCpuNs).max().orElse(0);
        assertThat(maxClientCpu).as("the busy shell's CPU while it ran").isPositive();
        assertThat(samples.get(samples.size() - 1).serverCpuNs()).as("this JVM as the 'server'").isPositive();
        assertThat(Files.readAllLines(tmp.resolve("cpu.csv")).get(0))
                .isEqualTo("epoch_ms,client_cpu_ms,client_wait_ms,server_cpu_ms,server_wait_ms,client_cpus_busy_ms,"
                        + "server_cpus_busy_ms");
        assertThat(samples.get(samples.size() - 1).serverCpusBusyNs()).as("this JVM's CPUs' busy time").isPositive();
    }

    @Test
    void waitOfAProcessThatIsGoneIsZero() {
        assertThat(ProcSampler.waitNs(Long.MAX_VALUE)).isZero();
    }
}
