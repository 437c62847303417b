package dev.wsstudy.loadgen.client;

import dev.wsstudy.loadgen.measure.Metrics;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Netty WebSocket client: one event-loop group (default one thread), pooled buffers, TCP_NODELAY.
 * Each connection's pipeline is Netty's own HTTP codec and RFC 6455 client (handshake, masking,
 * close and ping handling): independent of our protocol module, so a shared bug cannot cancel out.
 * <p>
 * Transport: {@link Transport} (native epoll, io_uring, or NIO). The native two have timers of
 * microsecond resolution, where NIO's select timeout has one millisecond, so their loops can pace
 * their own open-loop sends ({@link #preciseTimers()}).
 */
public final class WsClient implements AutoCloseable {
    /** Largest message accepted (the large-messages scenario goes to 4 MiB). */
    public static final int MAX_MESSAGE_BYTES = 64 << 20;
    public static final int CLOSE_TIMEOUT_MS = 3000;

    private final EventLoopGroup group;
    private final Transport transport;
    /** Connection {@code i} goes to target {@code i mod N} (several targets: the nodes of a cluster). */
    private final List<URI> targets;
    private final List<InetSocketAddress> remotes = new ArrayList<>();
    private final Metrics metrics;
    private final int connectTimeoutMs;
    private final long timerSlackNs;

    /** @param transport a {@code --transport} value: {@code epoll}, {@code io_uring}, {@code nio} or {@code auto} */
    public WsClient(int ioThreads, List<URI> targets, Metrics metrics, int connectTimeoutMs, String transport) {
        this.transport = Transport.resolve(transport);
        this.group = new MultiThreadIoEventLoopGroup(ioThreads, this.transport.ioHandlerFactory());
        this.targets = List.copyOf(targets);
        for (URI uri : targets) remotes.add(new InetSocketAddress(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 80));
        this.metrics = metrics;
        this.connectTimeoutMs = connectTimeoutMs;
        // The loops time the open-loop sends: no timer slack on them (see TimerSlack).
        long slack = 0;
        for (io.netty.util.concurrent.EventExecutor e : group) {
            long s = e.submit(TimerSlack::tightenCurrentThread).syncUninterruptibly().getNow();
            slack = s < 0 || slack < 0 ? -1 : Math.max(slack, s);
        }
        this.timerSlackNs = slack;
    }

    /** The event-loop threads' timer slack in ns (the largest if they differ), or -1 where it cannot be read. */
    public long timerSlackNs() {
        return timerSlackNs;
    }

    /** The transport in use. */
    public Transport transport() {
        return transport;
    }

    /** Whether event-loop timers fire within microseconds (epoll's timerfd, io_uring's timeout), not NIO's milliseconds. */
    public boolean preciseTimers() {
        return transport.preciseTimers;
    }

    /** Thread ids of the event loops (each runs one task here, which also starts its thread). */
    public long[] ioThreadIds() {
        java.util.List<Long> ids = new java.util.ArrayList<>();
        for (io.netty.util.concurrent.EventExecutor e : group) {
            ids.add(e.submit(() -> Thread.currentThread().threadId()).syncUninterruptibly().getNow());
        }
        return ids.stream().mapToLong(Long::longValue).toArray();
    }

    public EventLoopGroup group() {
        return group;
    }

    /** The target index of connection {@code index} (its node, when the targets are cluster nodes). */
    public int targetOf(int index) {
        return Math.floorMod(index, targets.size());
    }

    public int targetCount() {
        return targets.size();
    }

    /** Opens {@code conn}: TCP connect (from {@code conn.local} when set) and the opening handshake. */
    public Future<Conn> connect(Conn conn, Traffic traffic) {
        URI uri = targets.get(targetOf(conn.index));
        InetSocketAddress remote = remotes.get(targetOf(conn.index));
        conn.traffic = traffic;
        metrics.connectAttempted.increment();
        long start = System.nanoTime();
        io.netty.channel.EventLoop loop = group.next();
        Promise<Conn> ready = loop.newPromise();
        WebSocketClientProtocolConfig cfg = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri).version(WebSocketVersion.V13)
                .customHeaders(new DefaultHttpHeaders())
                .maxFramePayloadLength(MAX_MESSAGE_BYTES)
                .handleCloseFrames(false)   // ConnHandler answers and records the close code
                .dropPongFrames(true)
                .handshakeTimeoutMillis(connectTimeoutMs)
                .build();
        Bootstrap b = new Bootstrap().group(loop).channel(transport.channelClass)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMs)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(
                                new HttpClientCodec(),
                                new HttpObjectAggregator(64 * 1024),
                                new WebSocketClientProtocolHandler(cfg),
                                new WebSocketFrameAggregator(MAX_MESSAGE_BYTES),
                                new ConnHandler(conn, ready, metrics, start, CLOSE_TIMEOUT_MS));
                    }
                });
        ChannelFuture cf = conn.local == null ? b.connect(remote) : b.connect(remote, conn.local);
        conn.channel = cf.channel();
        cf.addListener(f -> {
            if (!f.isSuccess()) ready.tryFailure(ConnectFailure.classify(f.cause(), true));
        });
        ready.addListener(f -> {
            if (!f.isSuccess()) {
                metrics.connectFailed.increment();
                metrics.error(ConnectFailure.classify(f.cause(), true).kind);
                Channel ch = conn.channel;
                if (ch != null) ch.close();
            }
        });
        return ready;
    }

    @Override public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
