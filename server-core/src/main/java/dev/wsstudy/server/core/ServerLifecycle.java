package dev.wsstudy.server.core;

import dev.wsstudy.cluster.ClusterLog;
import dev.wsstudy.cluster.ClusterUnavailableException;
import dev.wsstudy.cluster.RedisRoomBus;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.function.Function;
import picocli.CommandLine.ParameterException;

/**
 * Start-up and shutdown, the same for all three servers: parse the command line, start, print the
 * readiness line {@code wsstudy-<kind> listening on HOST:PORT} on stdout (the test suite and the
 * load generator wait for exactly this line), and on SIGTERM (or Ctrl-C) close every client with
 * 1001 and exit within the close timeout plus a second.
 */
public final class ServerLifecycle {

    private ServerLifecycle() {
    }

    /**
     * The body of every Main. Exits 2 on a bad command line, 1 when the port cannot be bound or
     * (with {@code --cluster}) Redis cannot be reached.
     */
    public static void launch(String kind, String[] args, Function<ServerContext, WebSocketServer> factory) {
        ServerConfig config;
        try {
            config = ServerOptions.parse(kind, args);
        } catch (ParameterException e) {
            System.err.println("wsstudy-" + kind + ": " + e.getMessage() + " (see --help)");
            System.exit(2);
            return;
        }
        if (config == null) return; // --help or --version
        RedisRoomBus cluster = null;
        if (config.cluster() != null) {
            // Fail fast: a node that silently ran alone would split every room (docs/cluster.md).
            Log log = new Log(kind);
            try {
                cluster = RedisRoomBus.connect(config.cluster(), clusterLog(log));
            } catch (ClusterUnavailableException e) {
                log.error("cluster-unavailable", "redis", config.cluster(), "error", e.getMessage());
                System.exit(1);
                return;
            }
        }
        ServerContext ctx = new ServerContext(config, cluster);
        WebSocketServer server = factory.apply(ctx);
        InetSocketAddress bound;
        try {
            bound = server.start();
        } catch (IOException e) {
            ctx.log.error("bind-failed", "host", config.host(), "port", config.port(), "error", e.toString());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(ctx, server), "shutdown"));
        ctx.log.info("server-started", "address", hostPort(bound), "jdk", Runtime.version(),
                "pollerMode", Stats.pollerMode(), "coalesce", config.coalesce(),
                "maxOutboxBytes", config.maxOutboxBytes());
        System.out.println("wsstudy-" + kind + " listening on " + hostPort(bound));
    }

    private static void stop(ServerContext ctx, WebSocketServer server) {
        ctx.log.info("server-stopping", "connections", server.connectionCount());
        server.shutdown(ctx.config.closeTimeoutMillis() + 500);
        if (ctx.cluster != null) ctx.cluster.close(); // after the clients: their leaves are published first
        ctx.log.info("server-stopped", "connections", server.connectionCount());
    }

    /** Cluster events go to the server's log, in its format. */
    static ClusterLog clusterLog(Log log) {
        return new ClusterLog() {
            @Override
            public void info(String event, Object... keyValues) {
                log.info(event, keyValues);
            }

            @Override
            public void warn(String event, Object... keyValues) {
                log.warn(event, keyValues);
            }

            @Override
            public void error(String event, Object... keyValues) {
                log.error(event, keyValues);
            }
        };
    }

    /** {@code 127.0.0.1:8080}, or {@code [::1]:8080} for IPv6. */
    public static String hostPort(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        if (address.getAddress() instanceof Inet6Address) host = "[" + host + "]";
        return host + ":" + address.getPort();
    }

    /** True for the accept failure that means the process ran out of file descriptors (EMFILE/ENFILE). */
    public static boolean isOutOfFileDescriptors(IOException e) {
        String m = e.getMessage();
        return m != null && (m.contains("Too many open files") || m.contains("too many open files"));
    }
}
