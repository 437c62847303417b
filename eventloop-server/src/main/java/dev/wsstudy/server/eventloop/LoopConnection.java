package dev.wsstudy.server.eventloop;

import dev.wsstudy.protocol.Transport;
import dev.wsstudy.protocol.session.Session;
import dev.wsstudy.protocol.session.SessionState;
import dev.wsstudy.server.core.Outbox;
import dev.wsstudy.server.core.SlowConsumer;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One connection of the event loop: its socket, selection key, protocol session and outbox, and
 * what the loop does with them: read into the loop's shared buffer, flush the outbox with
 * gathering writes, half-close, close.
 *
 * <p>Thread contract: every field is owned by the loop thread, except the outbox (any thread may
 * offer into it) and the {@link Transport} methods, which may be called from any thread. Transport
 * calls never act on the socket or the session directly: they set a flag and ask the loop to look
 * at this connection after the current event ({@link EventLoopServer#touch}), because the session
 * calling {@code abort()} from inside {@code receive()} must not see {@code transportClosed()}
 * re-entrantly, and a broadcaster on another thread must never touch this socket. The methods
 * below the Transport ones run on the loop thread only.
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

    /**
     * True while this connection is on the loop's stack of connections touched from other threads
     * ({@link EventLoopServer#touch}); {@link #nextTouched} is its link there. A flag field with a
     * VarHandle rather than an AtomicBoolean: no extra object per connection (docs/memory.md).
     */
    private volatile boolean touchPending;
    LoopConnection nextTouched;
    private static final VarHandle TOUCH_PENDING;

    static {
        try {
            TOUCH_PENDING = MethodHandles.lookup().findVarHandle(LoopConnection.class, "touchPending", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

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

    /** Any thread: true if the caller is to push this connection onto the loop's touched stack (it was not on it). */
    boolean claimTouch() {
        return TOUCH_PENDING.compareAndSet(this, false, true);
    }

    /** Loop thread, once it took the connection off the stack. */
    void releaseTouch() {
        touchPending = false;
    }

    // ---- loop thread only: reading, flushing, closing ----

    void onReadable(long now) {
        // Read until the socket is empty, at most 16 buffers' worth (fairness to other connections),
        // and stop early once this connection has output to flush: a client pipelining a lot of echo
        // traffic must see its answers written between reads, not be judged a slow consumer because
        // the loop read megabytes from it before writing anything.
        for (int i = 0; i < 16; i++) {
            loop.readBuffer.clear();
            int n;
            try {
                n = channel.read(loop.readBuffer);
            } catch (IOException e) {
                closeNow(); // reset by peer and friends
                return;
            }
            if (n < 0) {
                inputClosed(now);
                return;
            }
            if (n == 0) return;
            loop.stats.bytesIn.add(n);
            loop.readBuffer.flip();
            if (session.state() != SessionState.CLOSED) session.receive(loop.readBuffer, now);
            if (abortRequested || closed || queuedForFlush || n < loop.readBuffer.capacity()) return;
        }
    }

    private void inputClosed(long now) {
        inputDone = true;
        key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
        if (session.state() != SessionState.CLOSED) session.inputClosed(now);
        if (outputShut) {
            closeNow();
        } else {
            // Whatever the session does next (answer a close, abort), the socket goes within the timeout.
            forceCloseBy(now + loop.closeTimeoutNanos);
            loop.touch(this);
        }
    }

    void flush(long now) {
        if (abortRequested) {
            closeNow();
            return;
        }
        if (slowConsumer.get() && !slowConsumerHandled) {
            slowConsumerHandled = true;
            forceCloseBy(now + loop.closeTimeoutNanos);
            SlowConsumer.report(loop.ctx, remote, outbox);
        }
        if (!outputShut && !write()) {
            if (!closed) key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
            return;
        }
        if (closed) return;
        key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
        if (closeRequested && !outputShut && outbox.isDrained()) shutOutput(now);
    }

    /** Writes what the outbox holds; false when the socket filled up first. */
    private boolean write() {
        int max = loop.ctx.config.coalesce() ? EventLoopServer.MAX_BATCH : 1;
        try {
            int n;
            while ((n = outbox.poll(loop.batch, max)) > 0) {
                long written = channel.write(loop.batch, 0, n);
                loop.stats.writeCalls.increment();
                loop.stats.bytesOut.add(written);
                outbox.written(written);
                int done = 0;
                while (done < n && !loop.batch[done].hasRemaining()) done++;
                loop.stats.framesWritten.add(done);
                if (done < n) {
                    outbox.pushBack(loop.batch, done, n);
                    Arrays.fill(loop.batch, 0, n, null);
                    return false;
                }
                Arrays.fill(loop.batch, 0, n, null);
            }
            return true;
        } catch (IOException e) {
            Arrays.fill(loop.batch, null);
            closeNow();
            return false;
        }
    }

    /**
     * After the last byte: send FIN and keep reading until the client's FIN (RFC 6455 §7.1.1: the
     * server closes TCP first). Closing with unread input would send RST, and the client could then
     * lose the close frame we just sent.
     */
    private void shutOutput(long now) {
        outputShut = true;
        if (inputDone) {
            closeNow();
            return;
        }
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            closeNow();
            return;
        }
        forceCloseBy(now + loop.closeTimeoutNanos);
    }

    void forceCloseBy(long deadline) {
        if (forceCloseAtNanos == 0 || deadline - forceCloseAtNanos < 0) forceCloseAtNanos = deadline;
    }

    /** Frees everything: key, socket, queued bytes, and (through the session) the application state. */
    void closeNow() {
        if (closed) return;
        closed = true;
        key.cancel();
        try {
            channel.close();
        } catch (IOException ignored) {
            // closed anyway
        }
        outbox.clear();
        loop.forget(this);
        session.transportClosed();
    }
}
