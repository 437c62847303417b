package dev.wsstudy.loadgen.scenario;

import dev.wsstudy.loadgen.RunOptions;
import dev.wsstudy.loadgen.ShareContext;
import dev.wsstudy.loadgen.client.Conn;
import dev.wsstudy.loadgen.client.Traffic;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * idle-connections: ramp to {@code --connections} at {@code --connect-rate}, then hold them idle
 * through warm-up and the measured period. The results are the handshake rate of the ramp, the
 * server's RSS per connection and its thread count (server section), and how many connections the
 * server dropped while idle. Connection failures are part of the result, not a failed run.
 * With one loadgen process and a JVM server, the coordinator also reads the server's live heap
 * (after a full GC) before connecting and at the end of the hold (docs/memory.md).
 */
public final class IdleConnections implements Scenario, Traffic {
    private final RunOptions o;
    private List<Conn> conns = List.of();
    private final AtomicLong droppedWhileIdle = new AtomicLong();
    private volatile boolean closing;

    public IdleConnections(RunOptions o) {
        this.o = o;
    }

    @Override public boolean openLoop() { return false; }
    @Override public int connections() { return o.connections; }

    @Override public void connect(ShareContext ctx) throws Exception {
        int n = ctx.share(o.connections);
        conns = ctx.connectAll(ctx.offset(o.connections), n, i -> this);
        if (conns.isEmpty() && n > 0) throw new IllegalStateException("no connection succeeded: " + ctx.metrics.errorKinds());
    }

    @Override public void run(ShareContext ctx) {
        ShareContext.sleepUntil(ctx.endNanos());
        ctx.holdEnded(); // the server's live heap is read now, with every connection still open
    }

    @Override public void onFrame(Conn c, WebSocketFrame frame, long nowNanos) {
        // Idle: nothing is expected. Anything that arrives is counted (pings are answered by Netty).
    }

    @Override public void onClosed(Conn c) {
        if (!closing) droppedWhileIdle.incrementAndGet();
    }

    @Override public void close(ShareContext ctx) {
        closing = true;
        ctx.report.extra.put("opened", (long) conns.size());
        ctx.report.extra.put("droppedWhileIdle", droppedWhileIdle.get());
        ctx.metrics.errors("dropped-while-idle", droppedWhileIdle.get());
        ctx.closeAll(conns);
    }
}
