package dev.wsstudy.server.core;

import dev.wsstudy.app.AppConfig;
import dev.wsstudy.cluster.RedisRoomBus;
import dev.wsstudy.app.Router;
import dev.wsstudy.protocol.ProtocolConfig;
import dev.wsstudy.protocol.Transport;
import dev.wsstudy.protocol.session.Session;
import java.util.LinkedHashSet;
import java.util.concurrent.TimeUnit;

/**
 * What every connection of one server shares, built once from the {@link ServerConfig}: the
 * protocol limits, the applications ({@code /echo}, {@code /chat}) with the simulated work plugged
 * in, the HTTP routes, the log and the counters. {@link #newSession} is the one place where a
 * server turns a socket into a protocol session, so all three servers do it identically.
 */
public final class ServerContext {

    public final ServerConfig config;
    public final Log log;
    public final Stats stats;
    public final ProtocolConfig protocol;
    public final Router router;
    public final HttpRoutes http;
    public final SimulatedWork work;

    /** Cluster mode's bus (chat rooms span nodes), or null for a single process. */
    public final RedisRoomBus cluster;

    public ServerContext(ServerConfig config) {
        this(config, null);
    }

    /** With {@code cluster} (already connected) the chat rooms publish to and receive from other nodes. */
    public ServerContext(ServerConfig config, RedisRoomBus cluster) {
        this.config = config;
        this.cluster = cluster;
        this.log = new Log(config.kind());
        this.stats = new Stats(config.kind());
        this.protocol = protocolConfig(config);
        this.work = new SimulatedWork(config.workCpuMicros(), config.workBlockMillis());
        // messagesIn is counted here: the hook runs once per received data message, in every server.
        AppConfig app = AppConfig.defaults().withWork(() -> {
            stats.messagesIn.increment();
            work.perform();
        });
        if (cluster != null) app = app.withBus(cluster);
        this.router = Router.standard(app);
        if (cluster != null) {
            cluster.attach(router.rooms());
            stats.cluster(cluster::stats);
        }
        this.stats.registry(() -> router.rooms().roomCount(), () -> router.rooms().clientCount());
        this.http = new HttpRoutes(stats);
    }

    static ProtocolConfig protocolConfig(ServerConfig c) {
        return ProtocolConfig.defaults()
                .withMaxFrameBytes(c.maxFrameBytes())
                .withMaxMessageBytes(c.maxMessageBytes())
                .withHandshakeTimeoutNanos(TimeUnit.MILLISECONDS.toNanos(c.handshakeTimeoutMillis()))
                .withIdleTimeoutNanos(TimeUnit.MILLISECONDS.toNanos(c.idleTimeoutMillis()))
                .withPingIntervalNanos(TimeUnit.MILLISECONDS.toNanos(c.pingIntervalMillis()))
                .withCloseTimeoutNanos(TimeUnit.MILLISECONDS.toNanos(c.closeTimeoutMillis()))
                .withAllowedOrigins(new LinkedHashSet<>(c.allowedOrigins()))
                .withSubprotocols(c.subprotocols());
    }

    /** A protocol session for a freshly accepted connection from {@code remote}. */
    public Session newSession(Transport transport, long nowNanos, String remote) {
        return new Session(protocol, router, http, transport, nowNanos, new ConnectionEvents(this, remote));
    }

    public long closeTimeoutNanos() {
        return TimeUnit.MILLISECONDS.toNanos(config.closeTimeoutMillis());
    }
}
