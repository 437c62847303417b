package dev.wsstudy.cluster;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.event.connection.ConnectionDeactivatedEvent;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import reactor.core.Disposable;

/**
 * The two Redis connections of a node, and whether they are up. A connection that has issued
 * SUBSCRIBE may only issue pub/sub commands (RESP2), so PUBLISH and the membership commands go over
 * a second one. Lettuce owns reconnection; this class only watches it.
 *
 * <p>Lettuce settings, and why:
 * <ul>
 *   <li>auto-reconnect, every 100 ms to 1 s: a node returns within a second of Redis;</li>
 *   <li>{@code REJECT_COMMANDS} while disconnected: a broadcast during an outage fails at once and
 *       is counted, instead of piling up in an unbounded buffer and arriving seconds late;</li>
 *   <li>PUBLISH is never replayed after a reconnect: Redis may have executed it before the link
 *       broke, and a replay would deliver it twice;</li>
 *   <li>at most {@code maxQueuedCommands} commands waiting for an answer: a stalled Redis costs
 *       bounded memory, never a blocked broadcaster;</li>
 *   <li>connect timeout (fail fast at start) and a command timeout (a hung Redis fails commands).</li>
 * </ul>
 */
final class RedisLink implements AutoCloseable {

    /**
     * Lettuce and Netty log through java.util.logging here (Netty ignores slf4j-nop), in another
     * format, on stderr: e.g. one line per failed reconnect attempt. The bus logs the outage itself
     * in the server's format, so only their SEVERE lines pass. Strong references: JUL keeps
     * loggers weakly, and a collected logger would forget its level.
     */
    private static final List<Logger> QUIET = List.of(Logger.getLogger("io.lettuce"), Logger.getLogger("io.netty"),
            Logger.getLogger("reactor"));

    static {
        QUIET.forEach(l -> l.setLevel(Level.SEVERE));
    }

    static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    final RedisURI uri;
    final StatefulRedisConnection<String, byte[]> commands;
    final StatefulRedisPubSubConnection<String, byte[]> pubsub;
    private final ClientResources resources;
    private final RedisClient client;
    private final Disposable events;
    /** Written by Lettuce's event thread, read by the bus's ticker. */
    private final AtomicLong activations;
    private final AtomicLong downSinceNanos;

    private RedisLink(RedisURI uri, ClientResources resources, RedisClient client, Disposable events,
                      AtomicLong activations, AtomicLong downSinceNanos,
                      StatefulRedisConnection<String, byte[]> commands,
                      StatefulRedisPubSubConnection<String, byte[]> pubsub) {
        this.uri = uri;
        this.activations = activations;
        this.downSinceNanos = downSinceNanos;
        this.resources = resources;
        this.client = client;
        this.events = events;
        this.commands = commands;
        this.pubsub = pubsub;
    }

    /** Parses {@code redis://HOST:PORT}; throws {@link IllegalArgumentException} otherwise. */
    static RedisURI parse(String url) {
        if (url == null || !url.startsWith("redis://")) {
            throw new IllegalArgumentException("not a redis://HOST:PORT URL: " + url);
        }
        RedisURI uri = RedisURI.create(url);
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("no host in " + url);
        }
        return uri;
    }

    /** Connects both connections, or throws: a node never starts without its Redis. */
    static RedisLink open(String url, String clientName, RedisRoomBus.Settings s, Runnable onChange)
            throws ClusterUnavailableException {
        RedisURI uri;
        try {
            uri = parse(url);
        } catch (IllegalArgumentException e) {
            throw new ClusterUnavailableException(e.getMessage(), e);
        }
        uri.setClientName(clientName); // CLIENT LIST shows which node a connection belongs to
        ClientResources resources = DefaultClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(100), s.reconnectDelayMax(), 2, TimeUnit.MILLISECONDS))
                .build();
        RedisClient client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .replayFilter(command -> command.getType() == CommandType.PUBLISH)
                .requestQueueSize(s.maxQueuedCommands())
                .socketOptions(SocketOptions.builder().connectTimeout(s.connectTimeout()).build())
                .timeoutOptions(TimeoutOptions.enabled(s.commandTimeout()))
                .build());
        AtomicLong activations = new AtomicLong();
        AtomicLong downSince = new AtomicLong();
        Disposable events = resources.eventBus().get().subscribe(event -> {
            if (event instanceof ConnectionActivatedEvent) {
                activations.incrementAndGet();
                onChange.run();
            } else if (event instanceof ConnectionDeactivatedEvent) {
                downSince.compareAndSet(0, System.nanoTime());
                onChange.run();
            }
        });
        StatefulRedisConnection<String, byte[]> commands = null;
        try {
            commands = client.connect(CODEC);
            StatefulRedisPubSubConnection<String, byte[]> pubsub = client.connectPubSub(CODEC);
            return new RedisLink(uri, resources, client, events, activations, downSince, commands, pubsub);
        } catch (RedisException e) {
            if (commands != null) commands.close();
            events.dispose();
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            resources.shutdown(0, 1, TimeUnit.SECONDS);
            throw new ClusterUnavailableException("cannot reach Redis at " + url + ": " + rootMessage(e), e);
        }
    }

    /** Both connections are active (connected and past Lettuce's handshake). */
    boolean isUp() {
        return commands.isOpen() && pubsub.isOpen();
    }

    /** How many times any connection became active; a change means subscriptions must be renewed. */
    long activations() {
        return activations.get();
    }

    /** When a connection was first lost in the current outage (System.nanoTime), or 0 when none. */
    long downSinceNanos() {
        return downSinceNanos.get();
    }

    /** Ends the current outage record; false when another outage replaced it meanwhile. */
    boolean clearDown(long since) {
        return downSinceNanos.compareAndSet(since, 0);
    }

    @Override
    public void close() {
        events.dispose();
        pubsub.close();
        commands.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        resources.shutdown(0, 1, TimeUnit.SECONDS);
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String m = t.getMessage();
        return t == e ? String.valueOf(m) : e.getMessage() + " (" + t.getClass().getSimpleName() + ": " + m + ")";
    }
}
