package dev.wsstudy.server.core;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The blocking server shared by threaded-server and virtualthread-server. The two differ <b>only</b>
 * in the {@link ThreadFactory} their Main passes: {@code Thread.ofPlatform()} or
 * {@code Thread.ofVirtual()}. Everything else, line for line, is this class and
 * {@link BlockingConnection}.
 *
 * <ul>
 *   <li><b>Accept:</b> one platform thread blocks in {@code accept()} on a blocking
 *       {@link ServerSocketChannel} (backlog 4096: with the default 50, taking 5,000 connections was
 *       3-4 times slower here). Each connection gets a reader thread from the factory, and a
 *       writer thread from it while there is output (see {@link BlockingConnection}).</li>
 *   <li><b>Read:</b> the connection's reader thread blocks in {@code read()} and feeds the session;
 *       handlers, including a chat broadcast, run on it.</li>
 *   <li><b>Write:</b> the connection's writer thread waits on the outbox and does gathering writes;
 *       it ends after a second without output and the next output starts another.
 *       Why a writer per connection rather than a lock per socket: a broadcast runs on the sender's
 *       reader thread, and with a lock it would write into each member's socket itself, so one
 *       member whose socket is full would block the sender (and the whole room behind it). With a
 *       writer, every cross-thread write is a hand-off into a bounded queue that never blocks; only
 *       the slow member's own writer waits for its socket.</li>
 *   <li><b>Cost:</b> two threads per busy connection, one per idle one. For virtual threads that is
 *       a stack chunk of about 2 KiB of heap each while parked. For platform threads it is kernel
 *       threads with their stacks;
 *       this machine's limits ({@code pid_max} 32768, {@code vm.max_map_count} 65530) cap the
 *       threaded server near 15,000 connections, and a thread that cannot be started closes that
 *       connection with an {@code thread-start-failed} ERROR line and pauses accepting (see
 *       docs/servers.md for the measured memory).</li>
 *   <li><b>Timers:</b> one shared platform "ticker" thread runs every {@code tickMillis}: it applies
 *       forced-close deadlines (close the socket: any thread may) and calls {@code Session.tick}
 *       <i>only under the connection's session lock, with {@code tryLock}</i>. The reader holds that
 *       lock while the session processes input, so the session is never driven by two threads at
 *       once; when the reader is busy the tick is skipped and the next one comes a tick later. The
 *       ticker never blocks on a connection.</li>
 * </ul>
 * Open-files limit: an {@code accept} failing with "Too many open files" logs one ERROR line,
 * counts in /stats, and the accept thread sleeps {@code --accept-backoff-ms} before trying again.
 */
public final class BlockingServer implements WebSocketServer {

    private static final int BACKLOG = 4096;

    final ServerContext ctx;
    final ThreadFactory connectionThreads;
    final Set<BlockingConnection> connections = ConcurrentHashMap.newKeySet();
    private ServerSocketChannel listener;
    private Thread acceptor;
    private Thread ticker;
    private volatile boolean running = true;

    public BlockingServer(ServerContext ctx, ThreadFactory connectionThreads) {
        this.ctx = ctx;
        this.connectionThreads = connectionThreads;
    }

    @Override
    public InetSocketAddress start() throws IOException {
        listener = ServerSocketChannel.open();
        listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        listener.bind(new InetSocketAddress(ctx.config.host(), ctx.config.port()), BACKLOG);
        warmUpBlockingIo();
        acceptor = Thread.ofPlatform().name("acceptor").start(this::acceptLoop);
        ticker = Thread.ofPlatform().name("ticker").daemon().start(this::tickLoop);
        return (InetSocketAddress) listener.getLocalAddress();
    }

    /**
     * Makes one blocking read wait, on a thread from the connection factory, before accepting. A
     * virtual thread that must wait for a socket needs the JDK's I/O poller, which is created
     * lazily, on the first such wait, and needs file descriptors of its own. If that first wait
     * came while the process was at its open-files limit, the poller's class initialization would
     * fail for good and every later read would throw NoClassDefFoundError (seen here with
     * {@code ulimit -n 120}). Harmless for platform threads.
     */
    private void warmUpBlockingIo() throws IOException {
        Pipe pipe = Pipe.open();
        try (Pipe.SourceChannel source = pipe.source(); Pipe.SinkChannel sink = pipe.sink()) {
            Thread reader = connectionThreads.newThread(() -> {
                try {
                    source.read(ByteBuffer.allocate(1));
                } catch (IOException ignored) {
                    // the warm-up only needed the wait
                }
            });
            if (!reader.isVirtual()) return; // platform threads block in the kernel, no poller involved
            reader.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (reader.getState() != Thread.State.WAITING && System.nanoTime() - deadline < 0) sleep(1);
            sink.write(ByteBuffer.wrap(new byte[] {1}));
            reader.join(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public int connectionCount() {
        return connections.size();
    }

    private void acceptLoop() {
        while (running) {
            SocketChannel ch;
            try {
                ch = listener.accept();
            } catch (ClosedChannelException e) {
                return; // shutdown
            } catch (IOException e) {
                if (!running) return;
                if (ServerLifecycle.isOutOfFileDescriptors(e)) {
                    ctx.stats.acceptPausesForFdLimit.increment();
                    ctx.log.error("accept-paused", "why", e.getMessage(), "connections", connections.size(),
                            "backoffMs", ctx.config.acceptBackoffMillis());
                    sleep(ctx.config.acceptBackoffMillis());
                    ctx.log.info("accept-resumed", "connections", connections.size());
                } else {
                    ctx.log.error("accept-error", "error", e.toString());
                    sleep(10); // whatever it is, never a busy loop
                }
                continue;
            }
            BlockingConnection c = null;
            try {
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                c = new BlockingConnection(this, ch, String.valueOf(ch.getRemoteAddress()));
                connections.add(c);
                ctx.stats.connectionsAccepted.increment();
                ctx.stats.connectionsOpen.increment();
                c.start(connectionThreads);
            } catch (IOException e) {
                ctx.log.warn("io-error", "error", e.toString());
                closeQuietly(ch);
                if (c != null) c.startFailed();
            } catch (OutOfMemoryError | RuntimeException e) {
                // "unable to create native thread": too many platform threads. Refuse for a while.
                ctx.stats.threadStartFailures.increment();
                ctx.log.error("thread-start-failed", "connections", connections.size(), "error", e.toString(),
                        "backoffMs", ctx.config.acceptBackoffMillis());
                closeQuietly(ch);
                if (c != null) c.startFailed();
                sleep(ctx.config.acceptBackoffMillis());
            }
        }
    }

    private void tickLoop() {
        long period = ctx.config.tickMillis();
        while (!Thread.currentThread().isInterrupted()) {
            sleep(period);
            long now = System.nanoTime();
            for (BlockingConnection c : connections) {
                try {
                    c.tick(now);
                } catch (RuntimeException e) {
                    ctx.log.error("connection-error", "remote", c.remote, "error", e.toString());
                    c.abort();
                }
            }
        }
    }

    @Override
    public void shutdown(long timeoutMillis) {
        if (!running) return;
        running = false;
        closeQuietly(listener);
        for (BlockingConnection c : connections) c.shutdown();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!connections.isEmpty() && System.nanoTime() - deadline < 0) sleep(10);
        for (BlockingConnection c : connections) c.abort();
        ticker.interrupt(); // it enforced the close timeouts above; now it may go
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void closeQuietly(Closeable c) {
        try {
            if (c != null) c.close();
        } catch (IOException ignored) {
            // closing is all we wanted
        }
    }
}
