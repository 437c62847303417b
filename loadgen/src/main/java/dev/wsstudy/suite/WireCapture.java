package dev.wsstudy.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * tcpdump on the loopback interface, capturing the headers of the server port's data-carrying
 * packets into a pcap file with nanosecond kernel timestamps: a third observer of a cross-check
 * that is neither client ({@link WireLatency} reads the file). Needs the right to capture
 * (root or CAP_NET_RAW); tcpdump is the Debian package of that name.
 */
final class WireCapture implements AutoCloseable {
    /** Bytes kept per packet: Ethernet 14 + IPv4 ≤ 60 + TCP ≤ 60 would be 134; 128 keeps every header seen on loopback plus the first payload bytes. */
    static final int SNAPLEN = 128;
    /** tcpdump's default buffer timeout (its -B sets the size, not this). */
    static final long BLOCK_TIMEOUT_MS = 1000;
    private static final Pattern DROPPED = Pattern.compile("(\\d+) packets? dropped by kernel");

    private final Process process;
    private final Path pcap, log;
    private long droppedByKernel = -1;

    private WireCapture(Process process, Path pcap, Path log) {
        this.process = process;
        this.pcap = pcap;
        this.log = log;
    }

    /** The capture filter: TCP on {@code port} with a payload (IP length minus both headers non-zero). */
    static String filter(int port) {
        return "tcp port " + port + " and (((ip[2:2] - ((ip[0]&0xf)<<2)) - ((tcp[12]&0xf0)>>2)) != 0)";
    }

    /** Starts tcpdump and returns once it is listening (it says so on stderr), or throws with its own words. */
    static WireCapture start(String tcpdump, int port, Path pcap) throws IOException {
        Path log = pcap.resolveSibling(pcap.getFileName() + ".log");
        Process p = new ProcessBuilder(List.of(tcpdump, "-i", "lo", "-n", "-s", Integer.toString(SNAPLEN), "-B", "16384",
                "--time-stamp-precision=nano", "-w", pcap.toString(), filter(port)))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Processes.track(p);
        WireCapture c = new WireCapture(p, pcap, log);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            String said = Files.readString(log);
            if (said.contains("listening on")) {
                return c;
            }
            if (!p.isAlive()) {
                throw new IOException("tcpdump exited with code " + p.exitValue() + ": " + said.strip());
            }
            sleep(20);
        }
        c.close();
        throw new IOException("tcpdump did not start listening within 15 s: " + Files.readString(log).strip());
    }

    /** Stops the capture (SIGTERM: tcpdump flushes its file and prints its counters). Idempotent. */
    @Override public void close() throws IOException {
        if (process.isAlive()) {
            // libpcap hands packets over in blocks, a block at the latest after tcpdump's 1 s buffer
            // timeout; on SIGTERM it stops without reading the block still open. Waiting that long
            // first keeps every packet captured before close() (checked by WireLatencyTest).
            sleep(BLOCK_TIMEOUT_MS + 500);
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Matcher m = DROPPED.matcher(Files.readString(log));
        droppedByKernel = m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    Path pcap() {
        return pcap;
    }

    /** Packets the kernel dropped because tcpdump fell behind (from its closing words), -1 if unknown. */
    long droppedByKernel() {
        return droppedByKernel;
    }

    /** "tcpdump version 4.99.3" or null when it cannot run. */
    static String version(String tcpdump) {
        return RunInfo.firstLine(tcpdump, "--version");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
