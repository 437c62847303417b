package dev.wsstudy.loadgen.scenario;

import dev.wsstudy.loadgen.RunOptions;
import dev.wsstudy.loadgen.ShareContext;
import dev.wsstudy.loadgen.client.Conn;
import dev.wsstudy.loadgen.client.EchoPayload;
import dev.wsstudy.loadgen.client.Pacer;
import dev.wsstudy.loadgen.client.Traffic;
import dev.wsstudy.loadgen.measure.Metrics;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Echo traffic, the base of echo-closed, echo-rate, blocking-handler and large-messages.
 * Closed loop: each connection keeps {@code --in-flight} messages outstanding and sends the next
 * when one comes back (intended = actual send time). Open loop: the {@link Pacer} releases
 * messages at {@code --rate} spread over the connections; a connection sends a released message
 * when fewer than {@code --max-in-flight} are unanswered, and it is measured from its intended time.
 */
public class EchoScenario implements Scenario, Traffic {
    protected final RunOptions o;
    private final boolean open;
    private final EchoPayload payload;
    private List<Conn> conns = List.of();
    private Metrics metrics;
    private Pacer pacer;
    private volatile boolean stopSending;
    /** Start of the measured period; set before the first send (the loops see it through execute). */
    private long measureFrom;
    /** Replies in the measured period to messages intended before it (the warm-up's backlog). */
    private final LongAdder warmupBacklog = new LongAdder();

    protected EchoScenario(RunOptions o, boolean open) {
        this.o = o;
        this.open = open;
        if (open && (o.rate == null || o.rate <= 0)) throw new IllegalArgumentException(o.scenario + " needs --rate > 0 (or --rates)");
        if (o.inFlight < 1 || o.maxInFlight < 1) throw new IllegalArgumentException("--in-flight and --max-in-flight must be >= 1");
        this.payload = new EchoPayload(o.payloadBytes, o.text);
    }

    @Override public boolean openLoop() { return open; }
    @Override public Double offeredRate() { return open ? o.rate : null; }
    @Override public int connections() { return o.connections; }

    @Override public void connect(ShareContext ctx) throws Exception {
        metrics = ctx.metrics;
        int n = ctx.share(o.connections);
        conns = ctx.connectAll(ctx.offset(o.connections), n, i -> this);
        if (conns.size() < n) throw new IllegalStateException((n - conns.size()) + " of " + n + " connections failed: " + metrics.errorKinds());
    }

    @Override public void run(ShareContext ctx) throws Exception {
        measureFrom = ctx.measureStartNanos();
        if (open) {
            pacer = new Pacer(lanes(ctx), metrics, ctx.client.preciseTimers()).start();
        } else {
            ShareContext.sleepUntil(ctx.startNanos());
            for (Conn c : conns) c.channel.eventLoop().execute(() -> {
                for (int k = 0; k < o.inFlight; k++) sendClosed(c);
                c.channel.flush();
            });
        }
        ShareContext.sleepUntil(ctx.endNanos());
        stopSending = true;
        if (pacer != null) pacer.close();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(o.drainMs);
        while (metrics.sent.sum() > metrics.received.sum() + warmupBacklog.sum() && System.nanoTime() < deadline) Thread.sleep(5);
    }

    /** One lane per event loop, each with the rate share of its connections. */
    private List<Pacer.Lane> lanes(ShareContext ctx) {
        Map<EventLoop, List<Conn>> byLoop = new LinkedHashMap<>();
        for (Conn c : conns) byLoop.computeIfAbsent(c.channel.eventLoop(), k -> new ArrayList<>()).add(c);
        double processRate = o.rate * conns.size() / o.connections;
        List<Pacer.Lane> lanes = new ArrayList<>();
        byLoop.forEach((loop, cs) -> {
            double rate = processRate * cs.size() / conns.size();
            long total = (long) Math.floor(rate * o.totalS());
            for (Conn c : cs) c.maxInFlight = o.maxInFlight;
            lanes.add(new Pacer.Lane(loop, cs.toArray(Conn[]::new), ctx.startNanos(), rate, total, metrics, this::trySend));
        });
        return lanes;
    }

    /** Open loop, on the connection's loop: send what is due as far as the in-flight cap and socket allow. */
    private void trySend(Conn c) {
        boolean any = false;
        while (!stopSending && c.sent < c.due && c.inFlight < c.maxInFlight && c.writable()) {
            send(c, c.lane.intendedOf(c, c.sent), System.nanoTime());
            any = true;
        }
        if (any) c.channel.flush();
    }

    private void sendClosed(Conn c) {
        if (stopSending || !c.channel.isActive()) return;
        long now = System.nanoTime();
        send(c, now, now);
    }

    private void send(Conn c, long intended, long actual) {
        c.channel.write(payload.encode(c.channel.alloc(), c.sent, intended, actual), c.channel.voidPromise());
        c.sent++;
        c.inFlight++;
        metrics.sent.increment();
    }

    @Override public void onFrame(Conn c, WebSocketFrame f, long now) {
        if (!payload.matches(f)) {
            metrics.error("bad-echo");
            return;
        }
        long intended = payload.field(f.content(), 1);
        if (intended < measureFrom && now >= measureFrom) {
            // The measured period counts only messages intended in it: a backlog left by the
            // warm-up (a slow start, a stall) would otherwise be answered inside the period and
            // let the achieved rate exceed the offered one. Counted apart, not measured.
            warmupBacklog.increment();
        } else {
            metrics.recordLatency(now, intended, payload.field(f.content(), 2));
            metrics.received.increment();
            metrics.receivedBytes.add(f.content().readableBytes());
        }
        c.inFlight--;
        if (stopSending) return;
        if (open) {
            c.lane.releaseDue(now); // may already offer c a send
            trySend(c);
        } else {
            sendClosed(c);
            c.channel.flush();
        }
    }

    @Override public void onWritable(Conn c) {
        if (open) trySend(c);
    }

    @Override public void onClosed(Conn c) {
        if (!stopSending) metrics.error(c.closeCode > 0 ? "closed-by-server-" + c.closeCode : "connection-lost");
    }

    @Override public void close(ShareContext ctx) throws Exception {
        long unanswered = 0, unsent = 0;
        for (Conn c : conns) {
            // Read the loop-confined counters on their own loop (visibility without locks).
            long[] r = c.channel.eventLoop().submit(() -> new long[] {c.inFlight, Math.max(0, c.due - c.sent)}).get();
            unanswered += Math.max(0, r[0]);
            unsent += open ? r[1] : 0;
        }
        metrics.errors("unanswered", unanswered);
        if (unsent > 0) ctx.log.info("%d messages were due but never sent (in-flight cap / back-pressure): offered rate not met", unsent);
        ctx.report.extra.put("unsentAtEnd", unsent);
        ctx.report.extra.put("warmupBacklogAnswered", warmupBacklog.sum());
        ctx.closeAll(conns);
    }
}
