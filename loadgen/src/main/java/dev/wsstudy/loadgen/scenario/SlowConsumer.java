package dev.wsstudy.loadgen.scenario;

import dev.wsstudy.loadgen.RunOptions;
import dev.wsstudy.loadgen.ShareContext;
import dev.wsstudy.loadgen.client.Conn;
import dev.wsstudy.loadgen.client.WsClient;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * slow-consumer: a broadcast in which the last {@code --slow-members} members of every room stop
 * reading when the warm-up ends (Netty autoRead off: their TCP receive windows fill up). The
 * others' latency is the measurement; the slow members' fate is reported in
 * {@code scenarioDetails.slowConsumers}: while they are paused, /proc/net/tcp is polled once a
 * second to see when the server dropped each socket (a reset, or its FIN, takes the socket out of
 * ESTABLISHED even though nothing is read); at the end they read again, and the close code the
 * server had queued (1008 for a slow consumer) is recorded.
 */
public final class SlowConsumer extends Broadcast {
    private final Map<Integer, Double> goneAtS = new ConcurrentHashMap<>();
    private volatile boolean watching;
    private Thread watcher;

    public SlowConsumer(RunOptions o) {
        super(o);
        if (o.slowMembers < 1) throw new IllegalArgumentException("slow-consumer needs --slow-members >= 1");
    }

    @Override protected int slowPerRoom() {
        return o.slowMembers;
    }

    @Override protected void pauseSlowMembers(ShareContext ctx) {
        Set<Integer> ports = new HashSet<>();
        for (Conn c : slowMembers()) {
            c.channel.eventLoop().execute(() -> c.channel.config().setAutoRead(false));
            ports.add(((InetSocketAddress) c.channel.localAddress()).getPort());
        }
        int serverPort = ctx.uri.getPort();
        long start = ctx.startNanos();
        watching = true;
        watcher = Thread.ofPlatform().daemon().name("slow-watcher").start(() -> {
            while (watching) {
                Map<Integer, String> states = tcpStates(serverPort);
                double t = (System.nanoTime() - start) / 1e9;
                for (int p : ports) {
                    String st = states.get(p);
                    if (!"01".equals(st)) goneAtS.putIfAbsent(p, Math.round(t * 10) / 10.0);
                }
                try { Thread.sleep(1000); } catch (InterruptedException e) { return; }
            }
        });
    }

    /**
     * Local port -> TCP state (hex, "01" = ESTABLISHED) of connections to {@code serverPort}, from
     * /proc/net/tcp and /proc/net/tcp6 (Java's sockets are dual-stack, so IPv4 peers appear in tcp6).
     */
    static Map<Integer, String> tcpStates(int serverPort) {
        Map<Integer, String> out = new HashMap<>();
        for (String file : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) read(Path.of(file), serverPort, out);
        return out;
    }

    private static void read(Path file, int serverPort, Map<Integer, String> out) {
        try {
            for (String line : Files.readAllLines(file)) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 4 || !f[2].contains(":")) continue;
                int remote = Integer.parseInt(f[2].substring(f[2].indexOf(':') + 1), 16);
                if (remote != serverPort) continue;
                out.put(Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16), f[3]);
            }
        } catch (IOException | RuntimeException e) {
            // not Linux or not readable: the fate is then only known at resume time
        }
    }

    @Override protected void resumeSlowMembers(ShareContext ctx) throws Exception {
        watching = false;
        if (watcher != null) watcher.join(2000);
        slowResumed = true;
        List<Conn> slow = slowMembers();
        for (Conn c : slow) c.channel.eventLoop().execute(() -> {
            c.channel.config().setAutoRead(true);
            c.channel.read();
        });
        // Give each its queued data, the server's close frame and the TCP close.
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WsClient.CLOSE_TIMEOUT_MS + 1000L);
        for (Conn c : slow) {
            long left = deadline - System.nanoTime();
            if (left > 0 && c.closeCode < 0) c.channel.closeFuture().awaitUninterruptibly(left, TimeUnit.NANOSECONDS);
        }
    }

    @Override protected void reportSlowMembers(ShareContext ctx, Map<String, Object> out, long delivered, long lost) {
        List<Conn> slow = slowMembers();
        Map<String, Long> codes = new TreeMap<>();
        long closed = 0, open = 0;
        for (Conn c : slow) {
            if (c.closeCode > 0) codes.merge(Integer.toString(c.closeCode), 1L, Long::sum);
            if (c.closeCode > 0 || c.closed) closed++;
            else open++;
        }
        List<Double> gone = new ArrayList<>(goneAtS.values());
        gone.sort(null);
        out.put("members", (long) slow.size());
        out.put("pausedAtS", (long) o.warmupS);
        out.put("closedByServer", closed);
        out.put("stillOpen", open);
        out.put("closeCodes", codes);
        out.put("socketGoneWhilePausedAtS", gone);
        out.put("delivered", delivered);
        out.put("lost", lost);
    }
}
