package dev.wsstudy.server.eventloop;

import dev.wsstudy.protocol.session.SessionState;
import dev.wsstudy.server.core.ServerContext;
import dev.wsstudy.server.core.ServerLifecycle;
import dev.wsstudy.server.core.Stats;
import dev.wsstudy.server.core.WebSocketServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The event-loop server: <b>one thread and one {@link Selector} do everything</b>: accept, read,
 * decode, run the handlers, write, and the timers. Nothing ever blocks this thread except the
 * study's {@code --work-block-ms}, which is exactly the lesson: it stalls every connection.
 *
 * <p>One iteration of the loop:
 * <ol>
 *   <li>{@code select} with a timeout until the next timer check (so timers need no thread);</li>
 *   <li>take the connections other threads touched (cluster delivery) and the tasks they handed
 *       over (SIGTERM), woken by {@code selector.wakeup()};</li>
 *   <li>for each ready key: accept a burst of connections; or read into <b>one shared read buffer</b>
 *       (128 KiB, direct) and feed the bytes to the session at once: a partial frame lives in the
 *       session's decoder state, not in a per-connection buffer, so an idle connection holds no
 *       read buffer; or, on {@code OP_WRITE}, resume a flush;</li>
 *   <li>flush every connection that got output in this iteration: gathering writes of everything
 *       queued in its {@link dev.wsstudy.server.core.Outbox} (or one frame per write with
 *       {@code --no-coalesce}). A socket that is full gets {@code OP_WRITE} interest and the loop
 *       moves on; it never waits for a socket;</li>
 *   <li>every {@code tickMillis}: the sessions' timeouts ({@code Session.tick}) and forced closes.</li>
 * </ol>
 * A broadcast runs inside the sender's {@code receive}: the registry hands the one encoded frame to
 * each member's outbox, and each member is flushed in step 4 of the same iteration.
 *
 * <p>Open-files limit: when {@code accept} fails with "Too many open files", the loop logs one
 * ERROR line, drops {@code OP_ACCEPT} interest (a level-triggered selector would otherwise report the
 * pending connection again at once: a busy loop) and re-arms it after {@code --accept-backoff-ms}.
 */
public final class EventLoopServer implements WebSocketServer {

    private static final int READ_BUFFER_BYTES = 128 * 1024;
    static final int MAX_BATCH = 64;
    private static final int ACCEPTS_PER_EVENT = 64;

    final ServerContext ctx;
    final Stats stats;
    final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
    final ByteBuffer[] batch = new ByteBuffer[MAX_BATCH];
    private final List<LoopConnection> toFlush = new ArrayList<>();
    private final Set<LoopConnection> connections = new HashSet<>();
    private final ArrayList<LoopConnection> tickScratch = new ArrayList<>();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /**
     * Connections touched from other threads since the loop last looked: a lock-free stack linked
     * through {@link LoopConnection#nextTouched}, so a touch allocates nothing (a cluster message
     * reaches every local member from Lettuce's thread); a connection is in it at most once (its
     * {@code touchPending} flag), and only the push onto an empty stack wakes the selector.
     */
    private final AtomicReference<LoopConnection> touchedElsewhere = new AtomicReference<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final long tickNanos;
    final long closeTimeoutNanos;

    private Selector selector;
    private ServerSocketChannel listener;
    private SelectionKey acceptKey;
    private Thread thread;
    private volatile int connectionCount;
    private volatile boolean running = true;
    private long nextTickNanos;
    /** 0 = accepting; otherwise accepting resumes at this nanoTime. */
    private long acceptResumeNanos;
    private long now;

    public EventLoopServer(ServerContext ctx) {
        this.ctx = ctx;
        this.stats = ctx.stats;
        this.tickNanos = TimeUnit.MILLISECONDS.toNanos(ctx.config.tickMillis());
        this.closeTimeoutNanos = ctx.closeTimeoutNanos();
    }

    @Override
    public InetSocketAddress start() throws IOException {
        selector = Selector.open();
        listener = ServerSocketChannel.open();
        listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        listener.bind(new InetSocketAddress(ctx.config.host(), ctx.config.port()), 4096);
        listener.configureBlocking(false);
        acceptKey = listener.register(selector, SelectionKey.OP_ACCEPT);
        thread = Thread.ofPlatform().name("eventloop").unstarted(this::run);
        thread.start(); // after the field is set: touch() compares against it
        return (InetSocketAddress) listener.getLocalAddress();
    }

    @Override
    public int connectionCount() {
        return connectionCount;
    }

    /**
     * Asks the loop to look at {@code c} after the current event: flush its output, act on a close
     * or abort. From the loop thread it is a list append; from any other thread a push onto
     * {@link #touchedElsewhere} (unless already there) and, for the first, a wakeup.
     */
    void touch(LoopConnection c) {
        if (Thread.currentThread() == thread) {
            if (!c.queuedForFlush) {
                c.queuedForFlush = true;
                toFlush.add(c);
            }
        } else if (c.claimTouch()) {
            LoopConnection head;
            do {
                head = touchedElsewhere.get();
                c.nextTouched = head; // published by the CAS below, read after the loop's getAndSet
            } while (!touchedElsewhere.compareAndSet(head, c));
            if (head == null) selector.wakeup(); // a non-empty stack has had its wakeup already
        }
    }

    /** Loop thread: what other threads touched, in {@link #toFlush}; each may be touched from afar again at once. */
    private void takeTouchedElsewhere() {
        for (LoopConnection c = touchedElsewhere.getAndSet(null); c != null; ) {
            LoopConnection next = c.nextTouched;
            c.nextTouched = null;
            c.releaseTouch(); // after reading the link: a new push may rewrite it from now on
            touch(c);
            c = next;
        }
    }

    private void run() {
        now = System.nanoTime();
        nextTickNanos = now + tickNanos;
        while (running) {
            try {
                long waitNanos = Math.max(0, nextTickNanos - System.nanoTime());
                if (tasks.isEmpty() && touchedElsewhere.get() == null) {
                    selector.select(this::onReady, Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos)));
                } else {
                    selector.selectNow(this::onReady);
                }
                now = System.nanoTime();
                takeTouchedElsewhere();
                for (Runnable task; (task = tasks.poll()) != null; ) task.run();
                flushTouched();
                if (now - nextTickNanos >= 0) {
                    timers();
                    flushTouched();
                    nextTickNanos = now + tickNanos;
                }
            } catch (IOException | RuntimeException e) {
                // The loop must survive anything one connection does; a bug here is logged, not fatal.
                ctx.log.error("loop-error", "error", e.toString());
            }
        }
        for (LoopConnection c : new ArrayList<>(connections)) c.closeNow();
        try {
            listener.close();
            selector.close();
        } catch (IOException ignored) {
            // exiting anyway
        }
        stopped.countDown();
    }

    private void onReady(SelectionKey key) {
        // select(Consumer) runs this inside select, so the time read after the previous select is
        // as old as the select wait plus every handler that ran before this key (--work-block-ms,
        // or a loop the OS left unscheduled for seconds on a busy machine). A connection accepted
        // with that stale time started its handshake timeout in the past and was cut off unread
        // ("timeout what=handshake"); read the clock per ready key instead (nanoTime is cheap
        // beside the read or accept call that follows).
        now = System.nanoTime();
        if (key == acceptKey) {
            accept();
            return;
        }
        LoopConnection c = (LoopConnection) key.attachment();
        if (!key.isValid() || c.closed) return;
        try {
            if (key.isReadable()) c.onReadable(now);
            if (key.isValid() && key.isWritable()) touch(c);
        } catch (RuntimeException e) {
            // A bug in one connection's handling must not take the loop (and everyone) down.
            ctx.log.error("connection-error", "remote", c.remote, "error", e.toString());
            c.closeNow();
        }
    }

    private void accept() {
        for (int i = 0; i < ACCEPTS_PER_EVENT; i++) {
            SocketChannel ch;
            try {
                ch = listener.accept();
            } catch (IOException e) {
                if (ServerLifecycle.isOutOfFileDescriptors(e)) {
                    pauseAccepting(e);
                } else {
                    ctx.log.error("accept-error", "error", e.toString());
                }
                return;
            }
            if (ch == null) return;
            register(ch);
        }
    }

    private void register(SocketChannel ch) {
        String remote = "?";
        try {
            remote = String.valueOf(ch.getRemoteAddress());
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            LoopConnection c = new LoopConnection(this, ch, ctx.config.maxOutboxBytes(), remote);
            c.session = ctx.newSession(c, now, remote);
            c.key = ch.register(selector, SelectionKey.OP_READ, c);
            connections.add(c);
            connectionCount = connections.size();
            stats.connectionsAccepted.increment();
            stats.connectionsOpen.increment();
        } catch (IOException e) {
            ctx.log.warn("io-error", "remote", remote, "error", e.toString());
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing more to do
            }
        }
    }

    private void pauseAccepting(IOException e) {
        stats.acceptPausesForFdLimit.increment();
        acceptKey.interestOps(0);
        acceptResumeNanos = now + TimeUnit.MILLISECONDS.toNanos(ctx.config.acceptBackoffMillis());
        ctx.log.error("accept-paused", "why", e.getMessage(), "connections", connections.size(),
                "backoffMs", ctx.config.acceptBackoffMillis());
    }

    private void flushTouched() {
        // A flush can touch more connections (a session answering on close): loop by index.
        for (int i = 0; i < toFlush.size(); i++) {
            LoopConnection c = toFlush.get(i);
            c.queuedForFlush = false;
            if (!c.closed) c.flush(now);
        }
        toFlush.clear();
    }

    /** The connection is gone (called once, by {@link LoopConnection#closeNow}). */
    void forget(LoopConnection c) {
        connections.remove(c);
        connectionCount = connections.size();
        stats.connectionsOpen.decrement();
    }

    private void timers() {
        if (acceptResumeNanos != 0 && now - acceptResumeNanos >= 0 && running) {
            acceptResumeNanos = 0;
            acceptKey.interestOps(SelectionKey.OP_ACCEPT);
            ctx.log.info("accept-resumed", "connections", connections.size());
        }
        // A close removes from the set, so walk a copy; the copy's array is kept for the next tick
        // rather than allocated anew (a fresh one was 4 bytes per connection of garbage every tick).
        for (LoopConnection c : connections) tickScratch.add(c);
        for (int i = 0; i < tickScratch.size(); i++) {
            LoopConnection c = tickScratch.get(i);
            if (c.forceCloseAtNanos != 0 && now - c.forceCloseAtNanos >= 0) {
                c.closeNow();
            } else if (c.session.state() != SessionState.CLOSED) {
                c.session.tick(now);
            }
        }
        tickScratch.clear();
    }

    @Override
    public void shutdown(long timeoutMillis) {
        if (thread == null || !running) return;
        tasks.add(() -> {
            try {
                acceptKey.cancel();
                listener.close();
            } catch (IOException ignored) {
                // not accepting either way
            }
            for (LoopConnection c : new ArrayList<>(connections)) {
                c.session.close(1001, "server shutting down");
                c.forceCloseBy(now + closeTimeoutNanos);
                touch(c);
            }
        });
        selector.wakeup();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (connectionCount > 0 && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                break;
            }
        }
        running = false;
        selector.wakeup();
        try {
            stopped.await(1, TimeUnit.SECONDS);
        } catch (InterruptedException ignored) {
            // exiting anyway
        }
    }
}
