package dev.wsstudy.loadgen.client;

import dev.wsstudy.loadgen.measure.Metrics;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.Promise;

import java.util.concurrent.TimeUnit;

/**
 * The last handler of a client pipeline: completes the connect promise when the handshake is
 * done, answers the server's close frame, and hands data frames to the scenario's {@link Traffic}.
 */
final class ConnHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    private final Conn conn;
    private final Promise<Conn> ready;
    private final Metrics metrics;
    private final long startNanos;
    private final int closeTimeoutMs;

    ConnHandler(Conn conn, Promise<Conn> ready, Metrics metrics, long startNanos, int closeTimeoutMs) {
        this.conn = conn;
        this.ready = ready;
        this.metrics = metrics;
        this.startNanos = startNanos;
        this.closeTimeoutMs = closeTimeoutMs;
    }

    @Override public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            conn.handshakeDone = true;
            metrics.connectSetup.recordValue(Metrics.toUs(System.nanoTime() - startNanos));
            metrics.connectSucceeded.increment(); // before completing, so whoever awaits sees the count
            ready.trySuccess(conn);
        } else if (evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            ready.tryFailure(new ConnectFailure("handshake-timeout", "no 101 answer in time"));
            ctx.close();
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        long now = System.nanoTime();
        if (frame instanceof CloseWebSocketFrame close) {
            conn.closeCode = close.statusCode();
            conn.closeReason = close.reasonText();
            if (!conn.closeSent) {
                // Echo the status code (RFC 6455 section 5.5.1) and let the server close TCP first.
                conn.closeSent = true;
                ctx.writeAndFlush(new CloseWebSocketFrame(close.statusCode() < 0 ? 1000 : close.statusCode(), null));
            }
            ctx.executor().schedule(() -> { ctx.close(); }, closeTimeoutMs, TimeUnit.MILLISECONDS);
            return;
        }
        conn.traffic.onFrame(conn, frame, now);
    }

    @Override public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().isWritable() && conn.handshakeDone) conn.traffic.onWritable(conn);
        super.channelWritabilityChanged(ctx);
    }

    @Override public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        conn.closedAtNanos = System.nanoTime();
        conn.closed = true;
        if (!ready.tryFailure(new ConnectFailure("closed-during-handshake", "connection closed before the 101 answer"))) {
            conn.traffic.onClosed(conn);
        }
        super.channelInactive(ctx);
    }

    @Override public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!conn.handshakeDone) {
            ready.tryFailure(ConnectFailure.classify(cause, true));
        } else {
            metrics.error(ConnectFailure.classify(cause, false).kind);
        }
        ctx.close();
    }
}
