package dev.wsstudy.loadgen.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * One reading of a process from /proc (proc(5)): CPU time (utime + stime, field 14 and 15 of
 * /proc/PID/stat, in clock ticks), threads (field 20), VmRSS and VmHWM from /proc/PID/status,
 * the number of entries in /proc/PID/fd, and the run-queue wait of its threads.
 *
 * @param runQueueWaitNanos time the process's threads were runnable but not running, summed over
 *                          its live threads (second field of /proc/PID/task/TID/schedstat, ns; 0
 *                          where the kernel does not report it). On a busy machine it shows how long
 *                          the process was held back from a CPU; threads that exited take theirs along.
 * @param cpusBusyNanos     busy time since boot of the CPUs the process may run on (/proc/stat), for
 *                          {@link CpuShare}; -1 when not read (the loadgen's own readings) or unreadable
 */
public record ProcStat(long cpuNanos, int threads, long rssKiB, long hwmKiB, int fds, long runQueueWaitNanos,
                       long cpusBusyNanos) {
    /** USER_HZ: 100 on every Linux ABI the JDK runs on (sysconf(_SC_CLK_TCK) is not reachable from Java). */
    static final long NANOS_PER_TICK = 10_000_000L;

    public static ProcStat read(String pid) throws IOException {
        return read(Path.of("/proc", pid), true);
    }

    /** Two processes together (cluster nodes); fds stay unknown (-1) if either is unknown. */
    public ProcStat plus(ProcStat o) {
        return new ProcStat(cpuNanos + o.cpuNanos, threads + o.threads, rssKiB + o.rssKiB, hwmKiB + o.hwmKiB,
                fds < 0 || o.fds < 0 ? -1 : fds + o.fds, runQueueWaitNanos + o.runQueueWaitNanos,
                cpusBusyNanos < 0 || o.cpusBusyNanos < 0 ? -1 : cpusBusyNanos + o.cpusBusyNanos);
    }

    /** The calling thread's Linux thread id, from the {@code /proc/thread-self} link ("PID/task/TID"). */
    public static String currentThreadId() throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
    }

    /** The calling process, without counting fds (cheap enough to read every second). */
    public static ProcStat self() {
        try {
            return read(Path.of("/proc/self"), false);
        } catch (IOException e) {
            return new ProcStat(0, 0, 0, 0, 0, 0, -1);
        }
    }

    static ProcStat read(Path dir, boolean countFds) throws IOException {
        String stat = Files.readString(dir.resolve("stat"));
        // The command name (field 2) may contain spaces and ')': parse from the last ')'.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // f[0] is field 3 (state), so field n is f[n - 3].
        long ticks = Long.parseLong(f[14 - 3]) + Long.parseLong(f[15 - 3]);
        int threads = Integer.parseInt(f[20 - 3]);
        long rss = 0, hwm = 0;
        List<String> status = Files.readAllLines(dir.resolve("status"));
        for (String line : status) {
            if (line.startsWith("VmRSS:")) rss = kib(line);
            else if (line.startsWith("VmHWM:")) hwm = kib(line);
        }
        int fds = -1;
        if (countFds) {
            try (Stream<Path> s = Files.list(dir.resolve("fd"))) {
                fds = (int) s.count();
            } catch (IOException e) {
                fds = -1; // not ours to read (another user's process): reported as unknown
            }
        }
        // The CPUs' busy time only for other processes (the server): the loadgen reads itself each second.
        long busy = countFds ? CpuShare.busyNanos(CpuShare.allowed(status)) : -1;
        return new ProcStat(ticks * NANOS_PER_TICK, threads, rss, hwm, fds, runQueueWaitNanos(dir), busy);
    }

    /** Run-queue wait of all threads of {@code pid}, ns; 0 if the process is gone. */
    public static long runQueueWaitNanos(long pid) {
        return runQueueWaitNanos(Path.of("/proc", Long.toString(pid)));
    }

    static long runQueueWaitNanos(Path dir) {
        long sum = 0;
        try (Stream<Path> tasks = Files.list(dir.resolve("task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    // schedstat: "time on CPU (ns)  time waiting on a run queue (ns)  timeslices"
                    String[] f = Files.readString(t.resolve("schedstat")).strip().split(" ");
                    sum += Long.parseLong(f[1]);
                } catch (IOException | RuntimeException e) {
                    // thread gone, or no schedstat (kernel without CONFIG_SCHEDSTATS): counts 0
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return sum;
    }

    /** {@code nanos} as a percentage of {@code wallS} seconds, rounded to 0.1; null when unknown. */
    public static Double pctOf(long nanos, double wallS) {
        return wallS > 0 ? Math.round(nanos / 1e9 / wallS * 1000) / 10.0 : null;
    }

    /** Open sockets of the processes together (cluster nodes), or -1 if one is unreadable. */
    public static int socketFds(java.util.List<Long> pids) {
        int sum = 0;
        for (long pid : pids) {
            int n = socketFds(pid);
            if (n < 0) return -1;
            sum += n;
        }
        return sum;
    }

    /** Open sockets of a process (fds linking to "socket:[inode]"), or -1 if unreadable: the leak check for connections. */
    public static int socketFds(long pid) {
        int n = 0;
        try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : (Iterable<Path>) s::iterator) {
                try {
                    if (Files.readSymbolicLink(fd).toString().startsWith("socket:")) n++;
                } catch (IOException e) {
                    // closed between list and readlink
                }
            }
            return n;
        } catch (IOException e) {
            return -1;
        }
    }

    private static long kib(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
}
