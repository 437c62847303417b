package dev.wsstudy.loadgen.client;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;

import java.net.InetSocketAddress;

/**
 * One client connection and its measurement state. Confined to the connection's event loop
 * (Netty calls a channel's handlers on one thread), except the volatile close fields, which the
 * coordinating thread reads at the end.
 */
public final class Conn {
    public final int index;
    public final InetSocketAddress local;
    public Traffic traffic;
    public Channel channel;

    // Open-loop schedule: this connection's k-th message is intended at lane.intended(k * n + pos).
    public Pacer.Lane lane;
    public int pos;
    /** Messages whose intended send time has passed (set by the pacer's batch on this loop). */
    public long due;
    /** Messages sent so far; also the next sequence number. */
    public long sent;
    public int inFlight;
    public int maxInFlight = Integer.MAX_VALUE;

    /** Scenario state (a broadcast member, a churn loop, ...). */
    public Object attachment;

    public volatile boolean handshakeDone;
    public volatile boolean closed;
    public volatile int closeCode = -1;
    public volatile String closeReason;
    public volatile long closedAtNanos;
    volatile boolean closeSent;

    public Conn(int index, InetSocketAddress local) {
        this.index = index;
        this.local = local;
    }

    public boolean writable() {
        return channel != null && channel.isActive() && channel.isWritable() && !closeSent;
    }

    /** Starts the closing handshake (RFC 6455 section 7.1.2); the server then closes TCP (section 7.1.1). */
    public void sendClose(int code, String reason) {
        Channel ch = channel;
        if (ch == null) return;
        ch.eventLoop().execute(() -> {
            if (closeSent || !ch.isActive()) return;
            closeSent = true;
            ch.writeAndFlush(new CloseWebSocketFrame(code, reason));
        });
    }
}
