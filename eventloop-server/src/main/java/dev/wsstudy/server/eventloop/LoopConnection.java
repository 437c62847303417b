package dev.wsstudy.server.eventloop;

import dev.wsstudy.protocol.Transport;
import dev.wsstudy.protocol.session.Session;
import dev.wsstudy.server.core.Outbox;
import dev.wsstudy.server.core.SlowConsumer;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One connection of the event loop: its socket, selection key, protocol session and outbox.
 *
 * <p>Thread contract: every field is owned by the loop thread, except the outbox (any thread may
 * offer into it) and the {@link Transport} methods, which may be called from any thread. Transport
 * calls never act on the socket or the session directly: they set a flag and ask the loop to look
 * at this connection after the current event ({@link EventLoopServer#touch}), because the session
 * calling {@code abort()} from inside {@code receive()} must not see {@code transportClosed()}
 * re-entrantly, and a broadcaster on another thread must never touch this socket.
 */
final class LoopConnection implements Transport {

    final EventLoopServer loop;
    final SocketChannel channel;
    final Outbox outbox;
    final String remote;
    SelectionKey key;
    Session session;

    /** Loop-owned state. */
    boolean queuedForFlush;
    boolean inputDone;
    boolean outputShut;
    boolean closed;
    /** 0 = none; otherwise the loop closes the socket at this nanoTime whatever the session says. */
    long forceCloseAtNanos;

    /** Set by Transport calls (any thread), read by the loop after {@link EventLoopServer#touch}. */
    volatile boolean closeRequested;
    volatile boolean abortRequested;
    /** Set once, by the thread whose send overflowed the outbox. */
    final AtomicBoolean slowConsumer = new AtomicBoolean();
    /** Loop-owned: the slow consumer's log line and deadline are done. */
    boolean slowConsumerHandled;

    LoopConnection(EventLoopServer loop, SocketChannel channel, long maxOutboxBytes, String remote) {
        this.loop = loop;
        this.channel = channel;
        this.remote = remote;
        this.outbox = new Outbox(maxOutboxBytes, () -> loop.touch(this));
    }

    @Override
    public boolean send(ByteBuffer bytes) {
        if (abortRequested || closed) return false;
        if (outbox.offer(bytes)) {
            loop.ctx.stats.messagesOut.increment();
            return true;
        }
        if (slowConsumer.compareAndSet(false, true)) {
            // The session takes a refused send as "closing as a slow consumer" (state CLOSING), so
            // the close frame is ours to queue; it fits, the overflow just emptied the queue.
            outbox.offer(SlowConsumer.CLOSE_FRAME);
            loop.touch(this);
        }
        return false;
    }

    @Override
    public void closeAfterFlush() {
        closeRequested = true;
        loop.touch(this);
    }

    @Override
    public String remoteAddress() {
        return remote;
    }

    @Override
    public void abort() {
        abortRequested = true;
        loop.touch(this);
    }
}
