package dev.wsstudy.suite;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The echo latency as the server's socket saw it, from a pcap file of the loopback interface
 * ({@link WireCapture}): for every echoed message, the kernel's timestamp of the response packet
 * minus that of the request packet, on the same connection. Both clients' latencies include this
 * plus their own sending and receiving (wake-ups, parsing, bookkeeping); so each client's p50 minus
 * the wire p50 is what that client added.
 * <p>
 * Messages are recognised by size: a client's masked binary frame of {@code n} payload bytes is
 * header + 4-byte mask + n (RFC 6455 section 5.2), the server's unmasked answer header + n. A packet
 * whose payload is a whole number of such frames carries that many messages (TCP may coalesce);
 * others (the opening handshake, ping, pong, close) are skipped. Requests on a connection are
 * answered in order, one FIFO per connection. Only plain IPv4 over Ethernet framing, which is what
 * Linux's loopback capture gives.
 */
final class WireLatency {
    /** Two requests this close together count as sent in one burst. */
    static final long BURST_GAP_NS = 50_000;

    /**
     * @param pairs messages answered with the request inside the window
     * @param burstPct % of the window's requests that reached the server within {@link #BURST_GAP_NS} of the previous one (any connection)
     * @param unanswered requests in the window that had no answer in the capture
     */
    record Stats(long pairs, double p50Us, double p90Us, double p99Us, double maxUs, double burstPct, long unanswered) {}

    private WireLatency() {}

    /** Header bytes of a frame carrying {@code n} payload bytes (RFC 6455 section 5.2). */
    static int headerBytes(int n) {
        return n < 126 ? 2 : n < 65536 ? 4 : 10;
    }

    /** Reads {@code pcap}; counts requests sent in [fromNs, toNs) (epoch nanoseconds). */
    static Stats analyse(Path pcap, int serverPort, int payloadBytes, long fromNs, long toNs) throws IOException {
        int requestBytes = headerBytes(payloadBytes) + 4 + payloadBytes, responseBytes = headerBytes(payloadBytes) + payloadBytes;
        ByteBuffer b;
        try (FileChannel ch = FileChannel.open(pcap, StandardOpenOption.READ)) {
            b = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
        }
        if (b.remaining() < 24) throw new IOException(pcap.getFileName() + ": not a pcap file (too short)");
        b.order(ByteOrder.LITTLE_ENDIAN);
        int magic = b.getInt(0);
        if (magic == 0x4d3cb2a1 || magic == 0xd4c3b2a1) {
            b.order(ByteOrder.BIG_ENDIAN);
            magic = b.getInt(0);
        }
        long fracToNs = switch (magic) {
            case 0xa1b23c4d -> 1;      // nanosecond timestamps
            case 0xa1b2c3d4 -> 1000;   // microsecond timestamps
            default -> throw new IOException(pcap.getFileName() + ": not a pcap file (magic " + Integer.toHexString(magic) + ")");
        };
        if (b.getInt(20) != 1) throw new IOException(pcap.getFileName() + ": link type " + b.getInt(20) + ", expected 1 (Ethernet, as on lo)");
        ByteBuffer n = b.duplicate().order(ByteOrder.BIG_ENDIAN); // packet bytes are in network order
        Map<Long, ArrayDeque<Long>> pending = new HashMap<>();
        long[] lat = new long[1024], sends = new long[1024];
        int nLat = 0, nSends = 0;
        int off = 24;
        while (off + 16 <= b.limit()) {
            long t = (b.getInt(off) & 0xffffffffL) * 1_000_000_000L + (b.getInt(off + 4) & 0xffffffffL) * fracToNs;
            int caplen = b.getInt(off + 8);
            int p = off + 16;
            off = p + caplen;
            if (off > b.limit() || caplen < 14 + 20 + 20) continue;
            if ((n.get(p + 12) & 0xff) != 0x08 || n.get(p + 13) != 0x00) continue; // IPv4 only
            int ip = p + 14, ihl = (n.get(ip) & 0x0f) * 4;
            if (n.get(ip + 9) != 6) continue; // TCP
            int total = n.getShort(ip + 2) & 0xffff;
            int tcp = ip + ihl;
            if (tcp + 20 > p + caplen) continue;
            int src = n.getShort(tcp) & 0xffff, dst = n.getShort(tcp + 2) & 0xffff;
            int doff = ((n.get(tcp + 12) & 0xf0) >> 4) * 4;
            int len = total - ihl - doff;
            boolean request = dst == serverPort;
            if (len <= 0 || (!request && src != serverPort)) continue;
            int frame = request ? requestBytes : responseBytes;
            if (len % frame != 0 || startsWithHttp(n, tcp + doff, p + caplen)) continue;
            int clientIp = n.getInt(ip + (request ? 12 : 16));
            long key = ((clientIp & 0xffffffffL) << 16) | (request ? src : dst);
            ArrayDeque<Long> q = pending.computeIfAbsent(key, k -> new ArrayDeque<>());
            for (int k = len / frame; k > 0; k--) {
                if (request) {
                    q.add(t);
                    if (t >= fromNs && t < toNs) {
                        if (nSends == sends.length) sends = Arrays.copyOf(sends, nSends * 2);
                        sends[nSends++] = t;
                    }
                } else if (!q.isEmpty()) {
                    long sent = q.poll();
                    if (sent >= fromNs && sent < toNs) {
                        if (nLat == lat.length) lat = Arrays.copyOf(lat, nLat * 2);
                        lat[nLat++] = t - sent;
                    }
                }
            }
        }
        long unanswered = 0;
        for (ArrayDeque<Long> q : pending.values()) for (long sent : q) if (sent >= fromNs && sent < toNs) unanswered++;
        Arrays.sort(lat, 0, nLat);
        Arrays.sort(sends, 0, nSends);
        long close = 0;
        for (int i = 1; i < nSends; i++) if (sends[i] - sends[i - 1] < BURST_GAP_NS) close++;
        return new Stats(nLat, pctUs(lat, nLat, 50), pctUs(lat, nLat, 90), pctUs(lat, nLat, 99),
                nLat == 0 ? Double.NaN : lat[nLat - 1] / 1000.0, nSends < 2 ? Double.NaN : 100.0 * close / (nSends - 1),
                unanswered);
    }

    /** Nearest-rank percentile of the first {@code n} sorted values, in µs. */
    static double pctUs(long[] sorted, int n, double pct) {
        if (n == 0) return Double.NaN;
        int rank = (int) Math.ceil(pct / 100.0 * n);
        return sorted[Math.max(0, Math.min(n - 1, rank - 1))] / 1000.0;
    }

    /** The opening handshake (read from the network-order view) ("GET ..." / "HTTP/1.1 101 ..."), whatever its length happens to be. */
    private static boolean startsWithHttp(ByteBuffer b, int at, int end) {
        if (at + 4 > end) return false;
        int w = b.getInt(at);
        return w == 0x47455420 /* "GET " */ || w == 0x48545450 /* "HTTP" */;
    }
}
