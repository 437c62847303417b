package dev.wsstudy.server.core;

import dev.wsstudy.protocol.Transport;
import dev.wsstudy.protocol.session.Session;
import dev.wsstudy.protocol.session.SessionState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One connection of {@link BlockingServer}: a blocking {@link SocketChannel}, a reader thread, a
 * writer thread, and the {@link Outbox} between the world and the writer.
 *
 * <p>Thread contract:
 * <ul>
 *   <li>The <b>reader</b> owns the session: it calls {@code receive}, {@code inputClosed} and, exactly
 *       once at the end, {@code transportClosed}, each under {@link #sessionLock}. The ticker calls
 *       {@code tick} under the same lock with {@code tryLock}, so session calls never overlap. The
 *       lock is a {@link ReentrantLock} (never {@code synchronized}) and is never held during a
 *       socket read, so a virtual-thread reader never pins its carrier and the ticker never waits.</li>
 *   <li>The <b>writer</b> is the outbox's only drainer; it parks when the outbox is empty and the
 *       outbox's signal unparks it.</li>
 *   <li>The {@link Transport} methods run on any thread. None of them touches the session (a close
 *       started from inside {@code receive} must not re-enter it); {@link #abort()} just closes the
 *       socket, which wakes the blocked reader and writer with an exception.</li>
 * </ul>
 * The read buffer is right-sized: it starts at 1 KiB, doubles when a read fills it, up to 64 KiB,
 * and shrinks back after 16 reads that would have fit the small one. With 20,000 mostly idle
 * connections, each kilobyte here is 20 MB. It is a heap buffer: the JDK reads through a temporary
 * direct buffer that it caches per carrier thread (virtual) or per thread (platform) and releases
 * between attempts, so a reader parked in {@code read()} pins no native memory; a direct buffer per
 * connection measured about 1 KiB more per idle virtual-thread connection than this copy costs.
 */
final class BlockingConnection implements Transport {

    static final int MIN_READ_BUFFER = 1024;
    static final int MAX_READ_BUFFER = 64 * 1024;
    private static final int MAX_BATCH = 64;

    final String remote;
    private final BlockingServer server;
    private final ServerContext ctx;
    private final SocketChannel channel;
    private final Outbox outbox;
    private final ReentrantLock sessionLock = new ReentrantLock();
    private final AtomicBoolean slowConsumer = new AtomicBoolean();
    private final Session session;
    private Thread reader;
    private Thread writer;
    private boolean finished; // under sessionLock: transportClosed() was called
    private volatile boolean closeRequested;
    private volatile boolean aborted;
    /** 0 = none; otherwise the ticker closes the socket at this nanoTime, whatever the session says. */
    private volatile long forceCloseAtNanos;

    BlockingConnection(BlockingServer server, SocketChannel channel, String remote) {
        this.server = server;
        this.ctx = server.ctx;
        this.channel = channel;
        this.remote = remote;
        this.outbox = new Outbox(ctx.config.maxOutboxBytes(), this::wakeWriter);
        this.session = ctx.newSession(this, System.nanoTime(), remote);
    }

    void start(ThreadFactory threads) {
        writer = threads.newThread(this::writeLoop);
        reader = threads.newThread(this::readLoop);
        if (writer == null || reader == null) throw new IllegalStateException("thread factory refused");
        writer.start();
        ctx.stats.connectionThreadsLive.increment();
        try {
            reader.start();
        } catch (OutOfMemoryError | RuntimeException e) {
            abort(); // the writer sees the closed socket and exits
            throw e;
        }
        ctx.stats.connectionThreadsLive.increment();
    }

    /** The threads could not be started: undo what the accept loop counted. */
    void startFailed() {
        if (server.connections.remove(this)) {
            ctx.stats.connectionsOpen.decrement();
            lockedTransportClosed();
        }
    }

    // ---- Transport: any thread ----

    @Override
    public boolean send(ByteBuffer bytes) {
        if (aborted) return false;
        if (outbox.offer(bytes)) {
            ctx.stats.messagesOut.increment();
            return true;
        }
        if (slowConsumer.compareAndSet(false, true)) {
            // The session takes a refused send as "closing as a slow consumer" (state CLOSING), so
            // the close frame is ours to queue; it fits, the overflow just emptied the queue.
            outbox.offer(SlowConsumer.CLOSE_FRAME);
            forceCloseBy(System.nanoTime() + ctx.closeTimeoutNanos());
            SlowConsumer.report(ctx, remote, outbox);
        }
        return false;
    }

    @Override
    public void closeAfterFlush() {
        closeRequested = true;
        LockSupport.unpark(writer);
    }

    @Override
    public String remoteAddress() {
        return remote;
    }

    @Override
    public void abort() {
        aborted = true;
        BlockingServer.closeQuietly(channel);
        outbox.clear();
        LockSupport.unpark(writer);
    }

    private void wakeWriter() {
        LockSupport.unpark(writer);
    }

    private void forceCloseBy(long deadline) {
        long current = forceCloseAtNanos;
        if (current == 0 || deadline - current < 0) forceCloseAtNanos = deadline;
    }

    // ---- reader thread ----

    private void readLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(MIN_READ_BUFFER);
        int smallReads = 0;
        try {
            while (true) {
                int n = channel.read(buffer);
                long now = System.nanoTime();
                if (n < 0) {
                    lockedInputClosed(now);
                    break;
                }
                ctx.stats.bytesIn.add(n);
                buffer.flip();
                lockedReceive(buffer, now);
                // Right-size: grow when the socket had more than fitted, shrink after a quiet spell.
                if (n == buffer.capacity() && n < MAX_READ_BUFFER) {
                    buffer = ByteBuffer.allocate(n * 2);
                    smallReads = 0;
                } else if (buffer.capacity() > MIN_READ_BUFFER && n <= MIN_READ_BUFFER && ++smallReads >= 16) {
                    buffer = ByteBuffer.allocate(MIN_READ_BUFFER);
                    smallReads = 0;
                } else {
                    buffer.clear();
                }
            }
        } catch (IOException e) {
            // Reset by peer, or our own abort() closed the socket: nothing more can be written either.
            abort();
        } catch (RuntimeException | Error e) {
            ctx.log.error("connection-error", "remote", remote, "thread", "reader", "error", e.toString());
        } finally {
            finish();
        }
    }

    private void lockedReceive(ByteBuffer buffer, long now) {
        sessionLock.lock();
        try {
            if (session.state() != SessionState.CLOSED) session.receive(buffer, now);
        } finally {
            sessionLock.unlock();
        }
    }

    private void lockedInputClosed(long now) {
        sessionLock.lock();
        try {
            if (session.state() != SessionState.CLOSED) session.inputClosed(now);
        } finally {
            sessionLock.unlock();
        }
    }

    /**
     * The reader is done (EOF, error or abort). After a clean EOF the session has asked for
     * close-after-flush, so let the writer finish that flush (bounded by the close timeout); then
     * free everything, once.
     */
    private void finish() {
        try {
            if (!aborted) writer.join(Duration.ofNanos(ctx.closeTimeoutNanos()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        abort();
        if (server.connections.remove(this)) ctx.stats.connectionsOpen.decrement();
        lockedTransportClosed();
        ctx.stats.connectionThreadsLive.decrement();
    }

    private void lockedTransportClosed() {
        sessionLock.lock();
        try {
            if (!finished) {
                finished = true;
                session.transportClosed();
            }
        } finally {
            sessionLock.unlock();
        }
    }

    // ---- writer thread ----

    private void writeLoop() {
        ByteBuffer[] batch = null;
        int max = ctx.config.coalesce() ? MAX_BATCH : 1;
        try {
            while (!aborted) {
                boolean closing = closeRequested; // read before polling: see closeAfterFlush ordering
                if (batch == null) batch = new ByteBuffer[max];
                int n = outbox.poll(batch, max);
                if (n == 0) {
                    batch = null; // a parked writer holds no batch array
                    if (closing) {
                        shutOutput();
                        return;
                    }
                    LockSupport.park(this);
                    continue;
                }
                writeAll(batch, n);
                Arrays.fill(batch, 0, n, null);
            }
        } catch (IOException e) {
            abort(); // the reader wakes up with an exception and cleans up
        } catch (RuntimeException | Error e) {
            ctx.log.error("connection-error", "remote", remote, "thread", "writer", "error", e.toString());
            abort();
        } finally {
            ctx.stats.connectionThreadsLive.decrement();
        }
    }

    private void writeAll(ByteBuffer[] batch, int n) throws IOException {
        int done = 0;
        while (done < n) {
            long written = channel.write(batch, done, n - done);
            ctx.stats.writeCalls.increment();
            ctx.stats.bytesOut.add(written);
            outbox.written(written);
            int before = done;
            while (done < n && !batch[done].hasRemaining()) done++;
            ctx.stats.framesWritten.add(done - before);
        }
    }

    /**
     * Everything is written and the session asked to close: send FIN, and let the reader read on
     * until the client's FIN (RFC 6455 §7.1.1: the server closes TCP first; closing with unread
     * input would send RST, and the client could lose our close frame). The ticker enforces the
     * close timeout if the client never closes its side.
     */
    private void shutOutput() throws IOException {
        forceCloseBy(System.nanoTime() + ctx.closeTimeoutNanos());
        channel.shutdownOutput();
    }

    // ---- ticker thread ----

    void tick(long now) {
        long deadline = forceCloseAtNanos;
        if (deadline != 0 && now - deadline >= 0) {
            abort();
            return;
        }
        if (!sessionLock.tryLock()) return; // the reader is in the session: tick next time
        try {
            if (!finished && session.state() != SessionState.CLOSED) session.tick(now);
        } finally {
            sessionLock.unlock();
        }
    }

    /** SIGTERM: start the close handshake; the ticker bounds it with a forced close. */
    void shutdown() {
        forceCloseBy(System.nanoTime() + ctx.closeTimeoutNanos());
        session.close(1001, "server shutting down");
    }
}
