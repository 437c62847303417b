package dev.wsstudy.peer.jetty;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Reference peer (peers/README.md): a Jetty 12 WebSocket echo server on virtual threads, written as
 * Jetty's programming guide shows. Threads: the guide's recommended shape, a {@link QueuedThreadPool}
 * whose virtual-threads executor is a {@link VirtualThreadPool}: Jetty's selectors and non-blocking
 * tasks stay on the (few) platform threads, and every task that may block, which includes calling
 * the application's endpoint, runs on a virtual thread. {@link WebSocketUpgradeHandler} maps
 * {@code /echo} to {@link EchoEndpoint}; every other request goes to {@link HealthHandler}.
 */
@Command(name = "peer-jetty", mixinStandardHelpOptions = true,
        description = "Jetty 12 WebSocket echo server on virtual threads: /echo, GET /health (wsstudy reference peer).")
public final class JettyEchoServer implements Callable<Integer> {
    /** Large enough for the suite's large-messages scenario (1 MiB) and our servers' 16 MiB limit. */
    static final long MAX_MESSAGE_BYTES = 16L * 1024 * 1024;
    /** Jetty's default idle timeout (30 s) would close the idle-connections scenario's clients mid-run. */
    static final Duration IDLE_TIMEOUT = Duration.ofMinutes(10);

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "address to bind (default ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "port; 0 picks a free one (default ${DEFAULT-VALUE})")
    int port;

    private Server server;
    private ServerConnector connector;

    public static void main(String[] args) {
        System.exit(new CommandLine(new JettyEchoServer()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        start();
        System.out.printf("peer-jetty: listening on %s:%d (Jetty %s, QueuedThreadPool with a VirtualThreadPool for"
                + " blocking tasks)%n", host, connector.getLocalPort(), Server.getVersion());
        server.join();
        return 0;
    }

    void start() throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("peer-jetty");
        VirtualThreadPool virtual = new VirtualThreadPool();
        virtual.setName("peer-jetty-vt");
        threads.setVirtualThreadsExecutor(virtual);
        server = new Server(threads);
        // SIGTERM: Jetty's shutdown hook stops the server gracefully (peer contract).
        server.setStopAtShutdown(true);
        connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        connector.setAcceptQueueSize(4096);
        connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        server.addConnector(connector);
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, container -> {
            container.setMaxTextMessageSize(MAX_MESSAGE_BYTES);
            container.setMaxBinaryMessageSize(MAX_MESSAGE_BYTES);
            container.setIdleTimeout(IDLE_TIMEOUT);
            // Jetty accepts an offered permessage-deflate by default; our servers and the other peers
            // negotiate no extension, so the comparison runs on the same frames (peer contract).
            container.addMapping("/echo", (request, response, callback) -> {
                response.setExtensions(List.of());
                return new EchoEndpoint();
            });
        });
        ws.setHandler(new HealthHandler());
        server.setHandler(ws);
        server.start();
    }

    /** The port actually bound (tests pass --port 0). */
    int boundPort() {
        return connector.getLocalPort();
    }

    void stop() throws Exception {
        server.stop();
    }
}
