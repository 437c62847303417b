package dev.wsstudy.loadgen;

import dev.wsstudy.loadgen.client.Conn;
import dev.wsstudy.loadgen.client.Traffic;
import dev.wsstudy.loadgen.client.WsClient;
import dev.wsstudy.loadgen.measure.Metrics;
import io.netty.util.concurrent.Future;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/** What a scenario sees of the process it runs in: options, its share of the load, client, metrics, clock. */
public final class ShareContext {
    public final RunOptions o;
    public final int shareIndex, shareCount;
    /** The first (usually only) target; {@link WsClient} spreads connections over all of them. */
    public final URI uri;
    public final Metrics metrics;
    public final WsClient client;
    public final Log log;
    public final String runId;
    public final ShareReport report = new ShareReport();
    private final List<InetAddress> sources;
    private long startNanos;
    private long firstAttemptNanos, lastDoneNanos;
    private volatile Runnable holdEnd = () -> { };

    public ShareContext(RunOptions o, int shareIndex, int shareCount, List<InetAddress> sources, Metrics metrics,
                        WsClient client, Log log) {
        this.o = o;
        this.shareIndex = shareIndex;
        this.shareCount = shareCount;
        this.uri = o.targets().get(0);
        this.metrics = metrics;
        this.client = client;
        this.log = log;
        this.runId = o.runId;
        this.sources = sources;
        report.shareIndex = shareIndex;
    }

    /** This process's part of {@code total} (connections, rooms): an even split, remainder to the first. */
    public int share(int total) {
        return total / shareCount + (shareIndex < total % shareCount ? 1 : 0);
    }

    /** Global index of this process's first item of {@code total}. */
    public int offset(int total) {
        int off = 0;
        for (int i = 0; i < shareIndex; i++) off += total / shareCount + (i < total % shareCount ? 1 : 0);
        return off;
    }

    /** Local address for the connection with global index {@code g}: round robin over the source addresses. */
    public InetSocketAddress localFor(int g) {
        return sources.isEmpty() ? null : new InetSocketAddress(sources.get(g % sources.size()), 0);
    }

    void setStart(long startNanos) {
        this.startNanos = startNanos;
    }

    public long startNanos() { return startNanos; }
    public long measureStartNanos() { return startNanos + o.warmupS * 1_000_000_000L; }
    public long endNanos() { return startNanos + o.totalS() * 1_000_000_000L; }

    /** What the coordinator does at the end of an idle hold, while the connections are still open. */
    void onHoldEnd(Runnable r) {
        holdEnd = r;
    }

    /** Called by a scenario that holds connections open, after the measured period, before closing them. */
    public void holdEnded() {
        holdEnd.run();
    }

    public static void sleepUntil(long nanos) {
        long w;
        while ((w = nanos - System.nanoTime()) > 0) LockSupport.parkNanos(w);
    }

    /**
     * Opens connections with global indexes {@code [first, first + count)}, at most
     * {@code --max-pending-connects} at a time and {@code --connect-rate} per second; returns the
     * ones that completed the handshake (failures are counted by kind in the metrics).
     */
    public List<Conn> connectAll(int first, int count, IntFunction<Traffic> traffic) throws InterruptedException {
        Semaphore permits = new Semaphore(Math.max(1, o.maxPendingConnects));
        List<Conn> conns = new ArrayList<>(count);
        List<Future<Conn>> pending = new ArrayList<>(count);
        // Counted down by the last listener of each attempt: by then WsClient's own listener has
        // counted the outcome (listeners run in the order they were added).
        CountDownLatch settled = new CountDownLatch(count);
        long t0 = System.nanoTime();
        if (firstAttemptNanos == 0) firstAttemptNanos = t0;
        for (int i = 0; i < count; i++) {
            if (o.connectRate > 0) sleepUntil(t0 + (long) (i * 1e9 / o.connectRate));
            permits.acquire();
            Conn c = new Conn(first + i, localFor(first + i));
            conns.add(c);
            Future<Conn> f = client.connect(c, traffic.apply(i));
            f.addListener(x -> {
                synchronized (this) { lastDoneNanos = Math.max(lastDoneNanos, System.nanoTime()); }
                permits.release();
                settled.countDown();
            });
            pending.add(f);
        }
        if (!settled.await(o.connectTimeoutMs + 5000L, TimeUnit.MILLISECONDS)) {
            log.info("%d connection attempts still pending after the connect timeout", settled.getCount());
        }
        List<Conn> ok = new ArrayList<>(count);
        for (int i = 0; i < count; i++) if (pending.get(i).isSuccess()) ok.add(conns.get(i));
        synchronized (this) { report.connectPhaseS = Math.max(0, lastDoneNanos - firstAttemptNanos) / 1e9; }
        return ok;
    }

    /** Clean shutdown: a close frame on every open connection, then wait for the server to close TCP. */
    public void closeAll(List<Conn> conns) {
        for (Conn c : conns) c.sendClose(1000, "done");
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WsClient.CLOSE_TIMEOUT_MS + 500);
        for (Conn c : conns) {
            long left = deadline - System.nanoTime();
            if (c.channel != null && left > 0) c.channel.closeFuture().awaitUninterruptibly(left, TimeUnit.NANOSECONDS);
        }
        int forced = 0;
        for (Conn c : conns) {
            if (c.channel != null && c.channel.isOpen()) { c.channel.close(); forced++; }
        }
        if (forced > 0) log.info("%d connections did not finish the closing handshake in time; closed", forced);
    }
}
