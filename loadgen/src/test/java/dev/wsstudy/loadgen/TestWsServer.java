package dev.wsstudy.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.AttributeKey;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tiny Netty WebSocket server for the load generator's own tests: {@code /echo} (verbatim) and
 * {@code /chat} (INIT, welcome, broadcast to the room including the sender, per
 * docs/wire-protocol.md). One event-loop thread, so {@link #stallAfter} freezes every connection
 * at once, as a GC pause or a blocked event loop would.
 */
final class TestWsServer implements AutoCloseable {
    private static final AttributeKey<String> PATH = AttributeKey.valueOf("path");
    private static final AttributeKey<String> CLIENT = AttributeKey.valueOf("client");
    private static final AttributeKey<String> ROOM = AttributeKey.valueOf("room");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final List<Channel> extraListeners = new CopyOnWriteArrayList<>();
    private final ServerBootstrap bootstrap;
    private final Map<String, List<Channel>> rooms = new ConcurrentHashMap<>();
    private final AtomicLong messages = new AtomicLong();
    private volatile long stallAtMessage = -1, stallMs;
    private final AtomicLong chats = new AtomicLong();
    private volatile long dropChat = -1, duplicateChat = -1;

    TestWsServer() throws InterruptedException {
        WebSocketServerProtocolConfig cfg = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/").checkStartsWith(true).maxFramePayloadLength(64 << 20).build();
        bootstrap = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                new WebSocketServerProtocolHandler(cfg), new WebSocketFrameAggregator(64 << 20), new Handler());
                    }
                });
        server = bootstrap.bind("127.0.0.1", 0).sync().channel();
    }

    /**
     * {@code n} URLs on {@code n} ports that share one room registry: a stand-in for {@code n}
     * cluster nodes (every member sees every broadcast of its room, whichever port it used).
     */
    String urls(String path, int n) throws InterruptedException {
        StringBuilder sb = new StringBuilder(url(path));
        for (int i = 1; i < n; i++) {
            Channel extra = bootstrap.bind("127.0.0.1", 0).sync().channel();
            extraListeners.add(extra);
            sb.append(",ws://127.0.0.1:").append(((InetSocketAddress) extra.localAddress()).getPort()).append(path);
        }
        return sb.toString();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    String url(String path) {
        return "ws://127.0.0.1:" + port() + path;
    }

    /** Blocks the server's only thread for {@code ms} when it handles message number {@code n}. */
    void stallAfter(long n, long ms) {
        stallMs = ms;
        stallAtMessage = n;
    }

    /** Chat broadcast number {@code drop} (1-based) skips the room's last member; number {@code duplicate} reaches it twice. */
    void misdeliver(long drop, long duplicate) {
        dropChat = drop;
        duplicateChat = duplicate;
    }

    long messages() {
        return messages.get();
    }

    private final class Handler extends SimpleChannelInboundHandler<WebSocketFrame> {
        @Override public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete hc) {
                ctx.channel().attr(PATH).set(hc.requestUri());
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame f) throws Exception {
            if (messages.incrementAndGet() == stallAtMessage) Thread.sleep(stallMs);
            if (ctx.channel().attr(PATH).get().startsWith("/chat")) chat(ctx, f);
            else ctx.writeAndFlush(f.retainedDuplicate());
        }

        private void chat(ChannelHandlerContext ctx, WebSocketFrame f) throws Exception {
            JsonNode m = JSON.readTree(((TextWebSocketFrame) f).text());
            Channel ch = ctx.channel();
            switch (m.path("type").asText()) {
                case "init" -> {
                    String room = m.path("roomId").asText();
                    ch.attr(CLIENT).set(m.path("clientId").asText());
                    ch.attr(ROOM).set(room);
                    List<Channel> members = rooms.computeIfAbsent(room, k -> new CopyOnWriteArrayList<>());
                    members.add(ch);
                    ch.closeFuture().addListener(x -> members.remove(ch));
                    ch.writeAndFlush(new TextWebSocketFrame("{\"type\":\"welcome\",\"clientId\":\"" + ch.attr(CLIENT).get()
                            + "\",\"roomId\":\"" + room + "\",\"members\":" + members.size() + "}"));
                    String join = "{\"type\":\"join\",\"clientId\":\"" + ch.attr(CLIENT).get() + "\",\"roomId\":\"" + room + "\"}";
                    for (Channel other : members) if (other != ch) other.writeAndFlush(new TextWebSocketFrame(join));
                }
                case "chat" -> {
                    ObjectNode out = JSON.createObjectNode().put("type", "chat").put("roomId", ch.attr(ROOM).get())
                            .put("from", ch.attr(CLIENT).get());
                    out.set("body", m.get("body"));
                    String text = JSON.writeValueAsString(out);
                    List<Channel> members = rooms.getOrDefault(ch.attr(ROOM).get(), List.of());
                    long n = chats.incrementAndGet();
                    for (int i = 0; i < members.size(); i++) {
                        boolean last = i == members.size() - 1;
                        if (last && n == dropChat) continue;
                        members.get(i).writeAndFlush(new TextWebSocketFrame(text));
                        if (last && n == duplicateChat) members.get(i).writeAndFlush(new TextWebSocketFrame(text));
                    }
                }
                default -> ch.writeAndFlush(new TextWebSocketFrame("{\"type\":\"error\",\"code\":\"unknown_type\"}"));
            }
        }
    }

    @Override public void close() {
        server.close().syncUninterruptibly();
        extraListeners.forEach(c -> c.close().syncUninterruptibly());
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
