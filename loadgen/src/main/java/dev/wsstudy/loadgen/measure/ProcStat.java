package dev.wsstudy.loadgen.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * One reading of a process from /proc (proc(5)): CPU time (utime + stime, field 14 and 15 of
 * /proc/PID/stat, in clock ticks), threads (field 20), VmRSS and VmHWM from /proc/PID/status,
 * and the number of entries in /proc/PID/fd.
 */
public record ProcStat(long cpuNanos, int threads, long rssKiB, long hwmKiB, int fds) {
    /** USER_HZ: 100 on every Linux ABI the JDK runs on (sysconf(_SC_CLK_TCK) is not reachable from Java). */
    static final long NANOS_PER_TICK = 10_000_000L;

    public static ProcStat read(String pid) throws IOException {
        return read(Path.of("/proc", pid), true);
    }

    /** Two processes together (cluster nodes); fds stay unknown (-1) if either is unknown. */
    public ProcStat plus(ProcStat o) {
        return new ProcStat(cpuNanos + o.cpuNanos, threads + o.threads, rssKiB + o.rssKiB, hwmKiB + o.hwmKiB,
                fds < 0 || o.fds < 0 ? -1 : fds + o.fds);
    }

    /** The calling process, without counting fds (cheap enough to read every second). */
    public static ProcStat self() {
        try {
            return read(Path.of("/proc/self"), false);
        } catch (IOException e) {
            return new ProcStat(0, 0, 0, 0, 0);
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
        for (String line : Files.readAllLines(dir.resolve("status"))) {
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
        return new ProcStat(ticks * NANOS_PER_TICK, threads, rss, hwm, fds);
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
