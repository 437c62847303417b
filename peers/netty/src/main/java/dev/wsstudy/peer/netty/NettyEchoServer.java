package dev.wsstudy.peer.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.NettyRuntime;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Reference peer (peers/README.md): a WebSocket echo server written the way a Netty user would
 * write a fast one. Netty's own HTTP codec and {@link WebSocketServerProtocolHandler} do the
 * handshake, ping/pong and close (RFC 6455 §5.5); {@link EchoHandler} writes every data frame back
 * as it came, so a text message stays text and a binary one binary. {@code GET /health} answers 200
 * on the same port ({@link HealthHandler}).
 *
 * <p>Threads: one acceptor event loop plus {@code --threads} I/O event loops. The default
 * ({@code 0}) is Netty's own: twice {@link NettyRuntime#availableProcessors()}, which follows the
 * JVM's view of the CPU affinity, so under {@code taskset -c 1} it is 2 loops.
 */
@Command(name = "peer-netty", mixinStandardHelpOptions = true,
        description = "Netty 4.2 WebSocket echo server on /echo, GET /health (wsstudy reference peer).")
public final class NettyEchoServer implements Callable<Integer> {
    /** Large enough for the suite's large-messages scenario (1 MiB) and our servers' 16 MiB limit. */
    static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    enum Transport { nio, epoll }

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "address to bind (default ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "port; 0 picks a free one (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--transport", defaultValue = "epoll", description = "nio or epoll (native; default ${DEFAULT-VALUE})")
    Transport transport;

    @Option(names = "--threads", defaultValue = "0",
            description = "I/O event loops; 0 = Netty's default, 2 x available processors (default ${DEFAULT-VALUE})")
    int threads;

    private volatile Channel channel;
    private volatile EventLoopGroup boss;
    private volatile EventLoopGroup workers;

    public static void main(String[] args) {
        System.exit(new CommandLine(new NettyEchoServer()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        if (transport == Transport.epoll && !Epoll.isAvailable()) {
            System.err.println("peer-netty: native epoll is not available here: " + Epoll.unavailabilityCause());
            return 2;
        }
        // SIGTERM runs the shutdown hooks: close the listener and let the loops finish (peer contract).
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "peer-netty-shutdown"));
        start();
        int loops = threads > 0 ? threads : 2 * NettyRuntime.availableProcessors();
        System.out.printf("peer-netty: listening on %s (transport %s, %d I/O event loops + 1 acceptor, Netty %s)%n",
                channel.localAddress(), transport, loops, nettyVersion());
        channel.closeFuture().sync();
        return 0;
    }

    /** Binds and returns; the event loops serve until {@link #stop}. */
    void start() throws InterruptedException {
        IoHandlerFactory io = transport == Transport.epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> serverChannel =
                transport == Transport.epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        boss = new MultiThreadIoEventLoopGroup(1, io);
        workers = new MultiThreadIoEventLoopGroup(threads, io);
        channel = new ServerBootstrap()
                .group(boss, workers)
                .channel(serverChannel)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(
                                new HttpServerCodec(),
                                new HttpObjectAggregator(8192),
                                new WebSocketServerProtocolHandler(wsConfig()),
                                new HealthHandler(),
                                new EchoHandler());
                    }
                })
                .bind(host, port).sync().channel();
    }

    /** The port actually bound (tests pass --port 0). */
    int boundPort() {
        return ((java.net.InetSocketAddress) channel.localAddress()).getPort();
    }

    /** Closes the listener, then lets the loops finish what they hold (a few seconds at most). */
    void stop() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
        if (boss != null) {
            // Netty's default quiet period (2 s) would only delay the exit: nothing new arrives after close.
            boss.shutdownGracefully(0, 5, TimeUnit.SECONDS);
            workers.shutdownGracefully(100, 5_000, TimeUnit.MILLISECONDS).syncUninterruptibly();
        }
    }

    static WebSocketServerProtocolConfig wsConfig() {
        return WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/echo")
                .decoderConfig(WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(MAX_MESSAGE_BYTES).build())
                .build();
    }

    private static String nettyVersion() {
        // The shaded jar keeps one artifact's version file; every Netty artifact in it has the same version.
        return io.netty.util.Version.identify().values().stream().findFirst().map(v -> v.artifactVersion()).orElse("?");
    }
}
