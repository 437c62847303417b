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
 * writer thread while there is output, and the {@link Outbox} between the world and the writer.
 *
 * <p>Thread contract:
 * <ul>
 *   <li>The <b>reader</b> owns the session: it calls {@code receive}, {@code inputClosed} and, exactly
 *       once at the end, {@code transportClosed}, each under {@link #sessionLock}. The ticker calls
 *       {@code tick} under the same lock with {@code tryLock}, so session calls never overlap. The
 *       lock is a {@link ReentrantLock} (never {@code synchronized}) and is never held during a
 *       socket read, so a virtual-thread reader never pins its carrier and the ticker never waits.</li>
 *   <li>Output the <b>reader</b> produces for its own connection (an echo, a pong, the 101, a
 *       welcome) is written by the reader itself when nothing is queued and no writer runs:
 *       {@link #writeInline}, one non-blocking write, as a thread-per-connection server writes
 *       its answer; what the socket does not take goes to the writer. Handing every echo to a
 *       second thread cost two thread switches per message (about 7 µs of server CPU per echo,
 *       half the blocking servers' total: docs/servers.md).</li>
 *   <li>The <b>writer</b> is the outbox's only drainer; it parks when the outbox is empty and the
 *       outbox's signal unparks it. It is started by output the reader did not write itself
 *       (another member's broadcast, the rest of a partial inline write, a close) and ends after
 *       {@link #WRITER_LINGER_NANOS} without output; the next output starts another, so an idle
 *       connection holds one thread, not two. {@link #writerRunning} makes sure at most one
 *       thread writes: the reader's inline write holds it too, and whoever clears it looks at the
 *       queue once more.</li>
 *   <li>The {@link Transport} methods run on any thread. None of them touches the session (a close
 *       started from inside {@code receive} must not re-enter it); {@link #abort()} just closes the
 *       socket, which wakes the blocked reader and writer with an exception.</li>
 * </ul>
 * The read buffer is right-sized: it starts at 256 bytes (a client's handshake, a chat message),
 * doubles when a read fills it, up to 64 KiB, and shrinks back after 16 reads that would have fit
 * the small one. With 20,000 mostly idle connections, each kilobyte here is 20 MB (it was 1 KiB
 * until the idle-memory measurements of docs/memory.md). It is a heap buffer: the JDK reads through a temporary
 * direct buffer that it caches per carrier thread (virtual) or per thread (platform) and releases
 * between attempts, so a reader parked in {@code read()} pins no native memory; a direct buffer per
 * connection measured about 1 KiB more per idle virtual-thread connection than this copy costs.
 */
final class BlockingConnection implements Transport {

    static final int MIN_READ_BUFFER = 256;
    static final int MAX_READ_BUFFER = 64 * 1024;
    private static final int MAX_BATCH = 64;
    /**
     * A writer with nothing to write for this long ends; the next output starts another. Long
     * enough that a connection with steady traffic keeps its writer (starting one costs about a
     * microsecond for a virtual thread, tens of microseconds for a platform thread), short enough
     * that an idle connection holds only its reader (docs/memory.md).
     */
    static final long WRITER_LINGER_NANOS = 1_000_000_000L;

    final String remote;
    private final BlockingServer server;
    private final ServerContext ctx;
    private final SocketChannel channel;
    private final Outbox outbox;
    private final ReentrantLock sessionLock = new ReentrantLock();
    private final AtomicBoolean slowConsumer = new AtomicBoolean();
    /** The outbox went from empty to non-empty under an {@link #enqueue}; the next {@link #wake} acts on it. */
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final Session session;
    private Thread reader;
    /** The current writer thread, or the last one; only meaningful while {@link #writerRunning}. */
    private volatile Thread writer;
    /** A writer is running (or starting). Stays set after a final exit (FIN, abort), so none restarts. */
    private final AtomicBoolean writerRunning = new AtomicBoolean();
    private boolean finished; // under sessionLock: transportClosed() was called
    /**
     * The rest of a frame the reader began to write inline and the socket did not take; the writer
     * sends it before anything in the outbox. Set and cleared only by the holder of {@link #writerRunning}.
     */
    private volatile ByteBuffer unfinished;
    private volatile boolean closeRequested;
    private volatile boolean aborted;
    /** 0 = none; otherwise the ticker closes the socket at this nanoTime, whatever the session says. */
    private volatile long forceCloseAtNanos;

    BlockingConnection(BlockingServer server, SocketChannel channel, String remote) {
        this.server = server;
        this.ctx = server.ctx;
        this.channel = channel;
        this.remote = remote;
        this.outbox = new Outbox(ctx.config.maxOutboxBytes(), () -> wakePending.set(true));
        this.session = ctx.newSession(this, System.nanoTime(), remote);
    }

    /** Starts the reader; the writer starts with the first output (the handshake's answer). */
    void start(ThreadFactory threads) {
        reader = threads.newThread(this::readLoop);
        if (reader == null) throw new IllegalStateException("thread factory refused");
        reader.start();
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
        boolean queued = enqueue(bytes);
        wake();
        return queued;
    }

    /**
     * Queues (or, on the reader, writes inline) without starting or waking the writer: the session
     * calls this under its lock and {@link #wake} after releasing it. Starting a platform writer
     * returns only once the new thread has run; with 10,000 threads on one busy CPU that took
     * milliseconds, and a broadcaster doing it under a member's session lock stopped every other
     * broadcaster at that member (docs/servers.md, "Joining a big room").
     */
    @Override
    public boolean enqueue(ByteBuffer bytes) {
        if (aborted) return false;
        if (Thread.currentThread() == reader && writeInline(bytes)) {
            ctx.stats.messagesOut.increment();
            return true;
        }
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

    /**
     * Acts on what {@link #enqueue} queued. Whoever takes {@link #wakePending} wakes the writer,
     * after the offer that set it; every enqueue is followed by a wake from its own thread, so none
     * is left unwoken.
     */
    @Override
    public void wake() {
        if (wakePending.get() && wakePending.getAndSet(false)) wakeWriter();
    }

    @Override
    public void closeAfterFlush() {
        closeRequested = true;
        wakeWriter(); // the writer flushes, then sends FIN
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

    /**
     * Output of the reader's own making, written by the reader as a thread-per-connection server
     * writes its answer, when no writer runs and nothing is queued (order). The write is
     * non-blocking: with no other thread in an I/O operation on the channel (the reader is not
     * reading, no writer runs) the channel may be switched for it. A full socket must not block the
     * reader, or a client that stops reading would stop being read and never meet the outbox
     * limit; so what the socket does not take becomes {@link #unfinished} and the writer, blocked
     * on that socket like any writer, carries on. Returns false (the caller queues as usual) when
     * a writer runs or output is queued.
     */
    private boolean writeInline(ByteBuffer bytes) {
        if (!writerRunning.compareAndSet(false, true)) return false;
        try {
            if (unfinished != null || outbox.hasQueued()) return false; // stay behind what is first
            ByteBuffer view = bytes.duplicate(); // the bytes may be shared: never move their position
            channel.configureBlocking(false);
            try {
                long written = channel.write(view);
                ctx.stats.writeCalls.increment();
                ctx.stats.bytesOut.add(written);
            } finally {
                channel.configureBlocking(true);
            }
            if (view.hasRemaining()) unfinished = view;
            else ctx.stats.framesWritten.increment();
        } catch (IOException e) {
            abort(); // as when the writer fails: the reader sees the closed socket and cleans up
        } finally {
            writerRunning.set(false);
            // Output offered meanwhile saw a running "writer" and only tried to unpark it. The
            // caller still holds the session lock: the wake that follows its release acts on this.
            if (writerHasWork()) wakePending.set(true);
        }
        return true;
    }

    /**
     * There is output (or a close to carry out): unpark the writer, or start one if none runs. Any
     * thread holding no session lock ({@link #wake} after the outbox went from empty to non-empty).
     */
    private void wakeWriter() {
        if (!writerRunning.compareAndSet(false, true)) {
            LockSupport.unpark(writer);
            return;
        }
        if (aborted) return; // nothing to write any more; writerRunning stays set, so none ever starts
        Thread w = null;
        try {
            w = server.connectionThreads.newThread(this::writeLoop);
            if (w == null) throw new IllegalStateException("thread factory refused");
            writer = w;
            w.start();
            ctx.stats.connectionThreadsLive.increment();
        } catch (OutOfMemoryError | RuntimeException e) {
            // "unable to create native thread": this connection cannot send, so it goes.
            ctx.stats.threadStartFailures.increment();
            ctx.log.error("thread-start-failed", "remote", remote, "thread", "writer", "error", e.toString());
            abort();
        }
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
            Thread w = writer;
            if (!aborted && w != null && writerRunning.get()) awaitWriter(w, System.nanoTime() + ctx.closeTimeoutNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        abort();
        if (server.connections.remove(this)) ctx.stats.connectionsOpen.decrement();
        lockedTransportClosed();
        ctx.stats.connectionThreadsLive.decrement();
    }

    /**
     * Waits for the writer to end, until {@code deadline}. Another thread may be starting it right
     * now (a broadcast's {@link #wake}, outside any session lock): {@code join} refuses a thread
     * not yet started, so wait for the start first (it never comes if the start failed: aborted).
     */
    private void awaitWriter(Thread w, long deadline) throws InterruptedException {
        while (w.getState() == Thread.State.NEW) {
            if (aborted || System.nanoTime() - deadline >= 0) return;
            Thread.sleep(1);
        }
        long left = deadline - System.nanoTime();
        if (left > 0) w.join(Duration.ofNanos(left));
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

    /**
     * Drains the outbox; after {@link #WRITER_LINGER_NANOS} with nothing to write it ends, and the
     * next output starts a new writer ({@link #wakeWriter}). Exits for good (never restarted) after
     * the FIN, or when the socket failed or was aborted.
     */
    private void writeLoop() {
        ByteBuffer[] batch = null;
        int max = ctx.config.coalesce() ? MAX_BATCH : 1;
        long idleSince = System.nanoTime();
        try {
            while (!aborted) {
                ByteBuffer rest = unfinished;
                if (rest != null) { // the reader's partial inline write goes before anything queued
                    unfinished = null;
                    writeRest(rest);
                    idleSince = System.nanoTime();
                }
                boolean closing = closeRequested; // read before polling: see closeAfterFlush ordering
                if (batch == null) batch = new ByteBuffer[max];
                int n = outbox.poll(batch, max);
                if (n == 0) {
                    batch = null; // a parked writer holds no batch array
                    if (closing) {
                        shutOutput();
                        return;
                    }
                    long idle = System.nanoTime() - idleSince;
                    if (idle >= WRITER_LINGER_NANOS) {
                        writer = null; // a finished thread object is a few hundred bytes per idle connection
                        writerRunning.set(false);
                        // An offer between our poll and the line above saw a running writer and only
                        // unparked it: look again, and carry on if nobody else started one meanwhile.
                        if ((writerHasWork() || aborted) && writerRunning.compareAndSet(false, true)) {
                            writer = Thread.currentThread();
                            idleSince = System.nanoTime();
                            continue;
                        }
                        return;
                    }
                    LockSupport.parkNanos(this, WRITER_LINGER_NANOS - idle);
                    continue;
                }
                writeAll(batch, n);
                Arrays.fill(batch, 0, n, null);
                idleSince = System.nanoTime();
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

    /**
     * Something for the writer: the rest of an inline write, queued output, or a close. Whoever
     * clears {@link #writerRunning} asks this once more, since an offer made meanwhile only tried
     * to unpark the thread it took to be running.
     */
    private boolean writerHasWork() {
        return unfinished != null || outbox.hasQueued() || closeRequested;
    }

    private void writeRest(ByteBuffer rest) throws IOException {
        while (rest.hasRemaining()) {
            long written = channel.write(rest);
            ctx.stats.writeCalls.increment();
            ctx.stats.bytesOut.add(written);
        }
        ctx.stats.framesWritten.increment();
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
