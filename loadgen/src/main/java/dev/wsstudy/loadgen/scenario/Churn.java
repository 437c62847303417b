package dev.wsstudy.loadgen.scenario;

import dev.wsstudy.loadgen.RunOptions;
import dev.wsstudy.loadgen.ShareContext;
import dev.wsstudy.loadgen.client.ChatCodec;
import dev.wsstudy.loadgen.client.Conn;
import dev.wsstudy.loadgen.client.EchoPayload;
import dev.wsstudy.loadgen.client.Traffic;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.Future;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * churn: {@code --connections} concurrent loops, each repeating connect, (INIT on /chat), send one
 * message, wait for it to come back, close (RFC 6455 closing handshake), until the run ends.
 * Measures handshakes per second and the round trip of each cycle's message (failed connects are
 * counted by kind, cycles closed before the answer as errors); the server's fd
 * count and /stats before and after (server section) show whether anything leaked.
 */
public final class Churn implements Scenario, Traffic {
    private final RunOptions o;
    private final EchoPayload payload;
    private final ChatCodec codec;
    private boolean chat;
    private ShareContext ctx;
    private CountDownLatch loopsDone;
    private final AtomicLong cycles = new AtomicLong(), failedCycles = new AtomicLong(), measuredHandshakes = new AtomicLong();

    /** One loop's current cycle, confined to the connection's event loop. */
    private static final class Cycle {
        final int loop, iteration;
        boolean welcomed, answered;

        Cycle(int loop, int iteration) {
            this.loop = loop;
            this.iteration = iteration;
        }
    }

    public Churn(RunOptions o) {
        this.o = o;
        this.payload = new EchoPayload(Math.max(o.payloadBytes, EchoPayload.BINARY_HEADER), false);
        this.codec = new ChatCodec(o.payloadBytes);
    }

    @Override public boolean openLoop() { return false; }
    @Override public int connections() { return o.connections; }

    @Override public void connect(ShareContext ctx) {
        this.ctx = ctx;
        String path = ctx.uri.getPath();
        chat = path != null && path.endsWith("/chat");
    }

    @Override public void run(ShareContext ctx) throws InterruptedException {
        int loops = ctx.share(o.connections), first = ctx.offset(o.connections);
        loopsDone = new CountDownLatch(loops);
        ShareContext.sleepUntil(ctx.startNanos());
        for (int i = 0; i < loops; i++) next(first + i, 0);
        ShareContext.sleepUntil(ctx.endNanos());
        // Let each loop finish its current cycle (bounded by connect and close timeouts).
        if (!loopsDone.await(o.connectTimeoutMs + 5000L, TimeUnit.MILLISECONDS)) {
            ctx.log.info("%d churn loops still mid-cycle after the run", loopsDone.getCount());
        }
    }

    private void next(int loop, int iteration) {
        if (System.nanoTime() >= ctx.endNanos()) {
            loopsDone.countDown();
            return;
        }
        Conn c = new Conn(loop, ctx.localFor(loop + iteration));
        c.attachment = new Cycle(loop, iteration);
        Future<Conn> f = ctx.client.connect(c, this);
        f.addListener(x -> {
            if (x.isSuccess()) {
                opened(c);
            } else {
                failedCycles.incrementAndGet();
                // Do not spin on a refusing server: retry after a short pause.
                ctx.client.group().schedule(() -> next(loop, iteration + 1), 10, TimeUnit.MILLISECONDS);
            }
        });
    }

    private void opened(Conn c) {
        long now = System.nanoTime();
        if (now >= ctx.measureStartNanos() && now < ctx.endNanos()) measuredHandshakes.incrementAndGet();
        Cycle cy = (Cycle) c.attachment;
        if (chat) {
            String id = "lg-" + ctx.runId + "-churn" + cy.loop + "-" + cy.iteration;
            c.channel.writeAndFlush(ChatCodec.init(id, id));
        } else {
            sendProbe(c, now);
        }
    }

    private void sendProbe(Conn c, long now) {
        c.channel.writeAndFlush(chat ? codec.chat(c.channel.alloc(), 0, 0, now, now)
                : payload.encode(c.channel.alloc(), 0, now, now));
        ctx.metrics.sent.increment();
    }

    @Override public void onFrame(Conn c, WebSocketFrame f, long now) {
        Cycle cy = (Cycle) c.attachment;
        long sentAt;
        if (chat) {
            if (!cy.welcomed) {
                if (ChatCodec.isWelcome(f)) {
                    cy.welcomed = true;
                    sendProbe(c, System.nanoTime());
                } else {
                    ctx.metrics.error("chat-error");
                    c.sendClose(1000, "cycle failed");
                }
                return;
            }
            long[] body = new long[4];
            if (!ChatCodec.readBody(f, body)) return; // a join notice
            sentAt = body[2];
        } else {
            if (!payload.matches(f)) {
                ctx.metrics.error("bad-echo");
                return;
            }
            sentAt = payload.field(f.content(), 1);
        }
        cy.answered = true;
        ctx.metrics.recordLatency(now, sentAt, sentAt);
        ctx.metrics.received.increment();
        ctx.metrics.receivedBytes.add(f.content().readableBytes());
        c.sendClose(1000, "cycle done");
    }

    @Override public void onClosed(Conn c) {
        Cycle cy = (Cycle) c.attachment;
        if (cy.answered) {
            cycles.incrementAndGet();
        } else {
            failedCycles.incrementAndGet();
            ctx.metrics.error(c.closeCode > 0 ? "cycle-closed-by-server-" + c.closeCode : "cycle-closed-unanswered");
        }
        next(cy.loop, cy.iteration + 1);
    }

    @Override public void close(ShareContext ctx) {
        ctx.report.extra.put("cycles", cycles.get());
        ctx.report.extra.put("failedCycles", failedCycles.get());
        ctx.report.extra.put("measuredHandshakes", measuredHandshakes.get());
    }
}
