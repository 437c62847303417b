package dev.wsstudy.loadgen.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;

/**
 * Whether a process was starved of CPU by other work, not by its own threads. Its run-queue wait
 * alone cannot tell: a thread-per-connection server pinned to one CPU waits behind its own threads.
 * So the wait is compared with the CPU time that other processes took on the CPUs the process may
 * run on ({@code Cpus_allowed_list} in /proc/PID/status; busy time per CPU from /proc/stat): in
 * each one-second interval, the starved time is the smaller of the two. A server alone on its CPU
 * scores zero however long its threads queue; one whose CPU was busy with other work while it waited
 * scores that overlap.
 */
public final class CpuShare {
    private CpuShare() {}

    /** The CPUs of a list such as {@code 0-3,6} (cpuset(7) list format). */
    public static BitSet parseList(String list) {
        BitSet cpus = new BitSet();
        for (String part : list.strip().split(",")) {
            if (part.isBlank()) continue;
            String[] r = part.strip().split("-");
            int from = Integer.parseInt(r[0].strip()), to = r.length > 1 ? Integer.parseInt(r[1].strip()) : from;
            cpus.set(from, to + 1);
        }
        return cpus;
    }

    /** The CPUs a process may run on, from the lines of its /proc/PID/status; null if not listed. */
    static BitSet allowed(List<String> statusLines) {
        for (String line : statusLines) {
            if (line.startsWith("Cpus_allowed_list:")) return parseList(line.substring(line.indexOf(':') + 1));
        }
        return null;
    }

    /** Busy time (all but idle and iowait) of {@code cpus} since boot, from /proc/stat; -1 if unreadable. */
    static long busyNanos(BitSet cpus) {
        if (cpus == null) return -1;
        try {
            long ticks = 0;
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                // "cpuN user nice system idle iowait irq softirq steal guest guest_nice" (guest is inside user)
                if (!line.startsWith("cpu") || line.startsWith("cpu ")) continue;
                String[] f = line.split("\\s+");
                if (!cpus.get(Integer.parseInt(f[0].substring(3)))) continue;
                for (int i = 1; i <= 8 && i < f.length; i++) if (i != 4 && i != 5) ticks += Long.parseLong(f[i]);
            }
            return ticks * ProcStat.NANOS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Starved time over samples {@code from .. to} (one per second): per interval the smaller of the
     * process's run-queue wait and the busy time of its CPUs that was not its own CPU time; null when
     * a sample is missing or the CPUs' busy time is unknown.
     */
    public static Long starvedNanos(List<ProcStat> samples, int from, int to) {
        if (from < 0 || to >= samples.size() || from >= to) return null;
        long sum = 0;
        for (int k = from; k < to; k++) {
            ProcStat a = samples.get(k), b = samples.get(k + 1);
            if (a == null || b == null || a.cpusBusyNanos() < 0 || b.cpusBusyNanos() < 0) return null;
            long wait = Math.max(0, b.runQueueWaitNanos() - a.runQueueWaitNanos());
            long others = Math.max(0, (b.cpusBusyNanos() - a.cpusBusyNanos()) - (b.cpuNanos() - a.cpuNanos()));
            sum += Math.min(wait, others);
        }
        return sum;
    }
}
