package dev.wsstudy.loadgen.measure;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Starvation counts only waits that other processes' CPU time on the same CPUs explains. */
class CpuShareTest {
    static final long S = 1_000_000_000L;

    /** Cumulative readings, one per second: each step adds (cpu, wait, busy of its CPUs) seconds. */
    static List<ProcStat> samples(double[]... steps) {
        List<ProcStat> out = new ArrayList<>();
        long cpu = 0, wait = 0, busy = 0;
        out.add(new ProcStat(cpu, 1, 0, 0, 0, wait, busy));
        for (double[] st : steps) {
            cpu += (long) (st[0] * S);
            wait += (long) (st[1] * S);
            busy += (long) (st[2] * S);
            out.add(new ProcStat(cpu, 1, 0, 0, 0, wait, busy));
        }
        return out;
    }

    @Test
    void cpuListsAreParsedAsTheKernelWritesThem() {
        BitSet b = CpuShare.parseList("0-2,5,7-8\n");
        assertThat(b.stream().toArray()).containsExactly(0, 1, 2, 5, 7, 8);
        assertThat(CpuShare.parseList("1").stream().toArray()).containsExactly(1);
        assertThat(CpuShare.allowed(List.of("Name:\tjava", "Cpus_allowed_list:\t0-1"))).isEqualTo(CpuShare.parseList("0,1"));
        assertThat(CpuShare.allowed(List.of("Name:\tjava"))).isNull();
    }

    @Test
    void aServerWaitingBehindItsOwnThreadsIsNotStarved() {
        // thread per connection, pinned to one CPU it has to itself: it waits 7 s per second, but the
        // CPU's busy time is all its own
        assertThat(CpuShare.starvedNanos(samples(new double[] {0.9, 7, 0.9}, new double[] {1.0, 8, 1.0}), 0, 2)).isZero();
    }

    @Test
    void aServerWaitingWhileOtherWorkHeldItsCpuIsStarvedByTheOverlap() {
        // second 1: other work took 0.6 s of its CPU, the server waited 0.3 s: 0.3 s starved;
        // second 2: it waited 2 s (own threads too), others took 0.5 s: 0.5 s starved
        List<ProcStat> s = samples(new double[] {0.4, 0.3, 1.0}, new double[] {0.5, 2.0, 1.0});
        assertThat(CpuShare.starvedNanos(s, 0, 2)).isEqualTo(800_000_000L);
        assertThat(CpuShare.starvedNanos(s, 1, 2)).isEqualTo(500_000_000L);
    }

    @Test
    void unknownOrMissingReadingsGiveNoVerdict() {
        List<ProcStat> s = new ArrayList<>(samples(new double[] {0.5, 0.5, 1.0}));
        assertThat(CpuShare.starvedNanos(s, 0, 3)).as("window beyond the samples").isNull();
        s.set(1, new ProcStat(1, 1, 0, 0, 0, 1, -1));
        assertThat(CpuShare.starvedNanos(s, 0, 1)).as("busy time unknown").isNull();
        s.set(1, null);
        assertThat(CpuShare.starvedNanos(s, 0, 1)).as("sample missing").isNull();
    }

    @Test
    void theBusyTimeOfThisJvmsCpusIsReadFromProcStat() throws Exception {
        ProcStat me = ProcStat.read(Long.toString(ProcessHandle.current().pid()));
        assertThat(me.cpusBusyNanos()).isPositive();
        assertThat(ProcStat.self().cpusBusyNanos()).as("not read for the loadgen itself").isEqualTo(-1);
    }
}
