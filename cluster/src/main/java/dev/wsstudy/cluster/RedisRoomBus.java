package dev.wsstudy.cluster;

import dev.wsstudy.app.PreparedMessage;
import dev.wsstudy.app.RoomBus;
import dev.wsstudy.app.chat.RoomRegistry;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.api.async.RedisPubSubAsyncCommands;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;

/**
 * Cluster mode: the chat rooms' {@link RoomBus} over Redis pub/sub, one channel per room
 * ({@code wsstudy:room:<roomId>}). docs/cluster.md tells the whole story; in short:
 * <ul>
 *   <li><b>publish</b>: the registry has already delivered a broadcast to this node's members; the
 *       bus PUBLISHes the same encoded frame in an {@link Envelope} tagged with this node's id and a
 *       per-room sequence;</li>
 *   <li><b>subscribe/unsubscribe</b>: a node listens to a room's channel exactly while it has local
 *       members in it (the registry calls these when a room gains its first / loses its last one);</li>
 *   <li><b>receive</b>: other nodes' messages go to the local members through
 *       {@link RoomRegistry#deliverLocal}, the same shared-bytes path as a local broadcast; this
 *       node's own messages (Redis sends them back to every subscriber) are dropped by node id,
 *       so no member ever gets a message twice.</li>
 * </ul>
 *
 * <p><b>Threads.</b> {@code publish} runs on the broadcasting connection's thread (the event loop,
 * or a reader thread), never blocks and never throws: while Redis is down it counts and returns,
 * local delivery is unaffected. Messages arrive on Lettuce's I/O thread and are handed to members'
 * transports, whose {@code send} is safe from any thread (the event loop is woken to flush). A
 * single {@code cluster} ticker thread watches the link (gaps, resubscribing after a reconnect),
 * writes the membership counts and the heartbeat.
 *
 * <p><b>Order.</b> Per-room sequences are taken and PUBLISHed under the room's lock, so a room's
 * sequence order is its order on the wire; one sender's messages keep their order all the way
 * (one thread, one connection, one Redis, one subscription connection per receiver).
 */
public final class RedisRoomBus implements RoomBus, AutoCloseable {

    static final String CHANNEL_PREFIX = "wsstudy:room:";
    private static final int STRIPES = 64;

    /**
     * Tunables (defaults suit a real deployment; tests shorten the sync interval).
     *
     * @param connectTimeout     how long a start-up connect may take before the node gives up
     * @param commandTimeout     a command without an answer for this long fails (hung Redis)
     * @param reconnectDelayMax  reconnect attempts back off from 100 ms up to this
     * @param syncInterval       link check, heartbeat and membership write period
     * @param maxQueuedCommands  commands in flight at most; beyond, broadcasts are not published
     */
    public record Settings(Duration connectTimeout, Duration commandTimeout, Duration reconnectDelayMax,
                           Duration syncInterval, int maxQueuedCommands) {

        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(1),
                    Duration.ofSeconds(1), 100_000);
        }

        public Settings withSyncInterval(Duration interval) {
            return new Settings(connectTimeout, commandTimeout, reconnectDelayMax, interval, maxQueuedCommands);
        }
    }

    /** A room this node has local members in: its channel and its outgoing sequence. */
    private static final class RoomChannel {
        final String channel;
        final int epoch;
        final ReentrantLock lock = new ReentrantLock();
        long seq; // under lock

        RoomChannel(String channel, int epoch) {
            this.channel = channel;
            this.epoch = epoch;
        }
    }

    private final long node = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    private final String nodeId = String.format("%016x", node);
    private final String url;
    private final ClusterLog log;
    private final ClusterStats stats = new ClusterStats();
    private final ReceiveOrder order = new ReceiveOrder();
    private final ConcurrentHashMap<String, RoomChannel> channels = new ConcurrentHashMap<>();
    /** Orders subscribe, unsubscribe and the receiver's room check per room (striped). */
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    private final AtomicInteger epochs = new AtomicInteger();
    private final ScheduledExecutorService ticker;
    private final RedisLink link;
    private final RedisAsyncCommands<String, byte[]> redis;
    private final RedisPubSubAsyncCommands<String, byte[]> subscriptions;
    private final Membership membership;
    private final BiConsumer<Long, Throwable> onPublished;
    private volatile RoomRegistry rooms;
    private volatile boolean started;
    private volatile boolean closed;
    private volatile boolean resubscribeNeeded;

    /** Ticker-thread state. */
    private boolean reportedDown;
    /** notPublished as of the last tick that saw the link up: the outage's count starts there. */
    private long notPublishedWhileUp;
    private long seenActivations;
    private long reportedMissed;
    private long reportedMalformed;

    private RedisRoomBus(String url, ClusterLog log, Settings settings) throws ClusterUnavailableException {
        this.url = url;
        this.log = log;
        for (int i = 0; i < STRIPES; i++) stripes[i] = new ReentrantLock();
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("cluster").daemon().unstarted(r));
        try {
            this.link = RedisLink.open(url, "wsstudy-" + nodeId, settings, this::kick);
        } catch (ClusterUnavailableException e) {
            ticker.shutdownNow();
            throw e;
        }
        this.redis = link.commands.async();
        this.subscriptions = link.pubsub.async();
        this.membership = new Membership(nodeId, redis, 3 * settings.syncInterval().toMillis() + 1000);
        this.onPublished = (receivers, error) -> (error == null ? stats.published : stats.notPublished).increment();
        link.pubsub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, byte[] message) {
                receive(channel, message);
            }
        });
        seenActivations = link.activations();
        long period = settings.syncInterval().toMillis();
        started = true; // events before this (the first connects) need no attention
        ticker.scheduleWithFixedDelay(this::tick, 0, period, TimeUnit.MILLISECONDS);
        log.info("cluster-connected", "redis", url, "nodeId", nodeId);
    }

    /**
     * Connects to Redis at {@code url} ({@code redis://HOST:PORT}) or throws: a node never starts
     * without its Redis (docs/cluster.md, failure behaviour).
     */
    public static RedisRoomBus connect(String url, ClusterLog log, Settings settings) throws ClusterUnavailableException {
        return new RedisRoomBus(url, log, settings);
    }

    public static RedisRoomBus connect(String url, ClusterLog log) throws ClusterUnavailableException {
        return connect(url, log, Settings.defaults());
    }

    /** Checks a {@code --cluster} value; throws {@link IllegalArgumentException} naming the problem. */
    public static void validateUrl(String url) {
        RedisLink.parse(url);
    }

    /** Where other nodes' messages go. Call once, before the first client joins a room. */
    public void attach(RoomRegistry registry) {
        this.rooms = registry;
    }

    public String nodeId() {
        return nodeId;
    }

    /** Both Redis connections are up. */
    public boolean isConnected() {
        return link.isUp();
    }

    @Override
    public void publish(String roomId, PreparedMessage message) {
        if (closed || !link.isUp()) {
            stats.notPublished.increment(); // counted as the gap; local members already have it
            return;
        }
        byte[] envelope = Envelope.encode(node, message.bytes());
        RoomChannel room = channels.get(roomId);
        try {
            if (room == null) {
                // No local member any more (a leave notice after the last one left): unsequenced.
                redis.publish(CHANNEL_PREFIX + roomId, envelope).whenComplete(onPublished);
                return;
            }
            room.lock.lock();
            try {
                Envelope.stamp(envelope, room.epoch, ++room.seq);
                redis.publish(room.channel, envelope).whenComplete(onPublished);
            } finally {
                room.lock.unlock();
            }
        } catch (RuntimeException e) { // Lettuce refused it (queue full, disconnected just now)
            stats.notPublished.increment();
        }
    }

    @Override
    public void subscribe(String roomId) {
        ReentrantLock stripe = stripe(roomId);
        stripe.lock();
        try {
            int epoch = epochs.updateAndGet(e -> e == Integer.MAX_VALUE ? 1 : e + 1);
            RoomChannel room = new RoomChannel(CHANNEL_PREFIX + roomId, epoch);
            channels.put(roomId, room);
            if (link.isUp()) {
                subscriptions.subscribe(room.channel).whenComplete((ok, error) -> {
                    if (error != null) resubscribeNeeded = true; // the ticker renews it
                });
            }
        } finally {
            stripe.unlock();
        }
    }

    @Override
    public void unsubscribe(String roomId) {
        ReentrantLock stripe = stripe(roomId);
        stripe.lock();
        try {
            channels.remove(roomId);
            order.forget(roomId);
            if (link.isUp()) subscriptions.unsubscribe(CHANNEL_PREFIX + roomId);
            // If Redis is down, the subscription died with the connection; should Lettuce renew
            // it, the first message for it finds no local room and unsubscribes (receive()).
        } finally {
            stripe.unlock();
        }
    }

    /** A message on one of our channels (Lettuce's I/O thread). */
    private void receive(String channel, byte[] message) {
        if (!channel.startsWith(CHANNEL_PREFIX)) return;
        String roomId = channel.substring(CHANNEL_PREFIX.length());
        Envelope.Decoded in;
        try {
            if (Envelope.node(message) == node) {
                stats.ignoredOwn.increment();
                return;
            }
            in = Envelope.decode(message);
        } catch (IllegalArgumentException e) {
            stats.lastMalformed = channel + ": " + e.getMessage();
            stats.malformed.increment();
            return;
        }
        RoomRegistry target = rooms;
        long missed;
        ReentrantLock stripe = stripe(roomId);
        stripe.lock();
        try {
            if (target == null || !channels.containsKey(roomId)) {
                stats.stray.increment();
                if (link.isUp()) subscriptions.unsubscribe(channel);
                return;
            }
            missed = order.accept(roomId, in.node(), in.epoch(), in.seq());
        } finally {
            stripe.unlock();
        }
        if (missed == ReceiveOrder.DUPLICATE) {
            stats.duplicates.increment();
            return;
        }
        stats.missed.add(missed);
        stats.received.increment();
        try {
            stats.deliveredLocal.add(target.deliverLocal(roomId, in.message()));
        } catch (RuntimeException e) {
            log.error("cluster-delivery-error", "room", roomId, "error", e.toString());
        }
    }

    private ReentrantLock stripe(String roomId) {
        return stripes[(roomId.hashCode() & 0x7fffffff) % STRIPES];
    }

    /** A Lettuce connection event: look at the link now rather than at the next tick. */
    private void kick() {
        if (started && !closed) {
            try {
                ticker.execute(this::tick);
            } catch (RuntimeException ignored) {
                // shutting down
            }
        }
    }

    /** The ticker: outage bookkeeping, resubscription, heartbeat and membership counts. */
    private void tick() {
        if (closed) return;
        try {
            boolean up = link.isUp();
            long downSince = link.downSinceNanos();
            if (up && downSince == 0) notPublishedWhileUp = stats.notPublished.sum();
            if (!up && downSince != 0 && !reportedDown) {
                reportedDown = true;
                stats.disconnects.increment();
                log.warn("cluster-disconnected", "redis", url, "nodeId", nodeId, "why", "connection to Redis lost; reconnecting");
            }
            if (up && downSince != 0 && link.clearDown(downSince)) {
                long gapMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - downSince);
                if (!reportedDown) stats.disconnects.increment(); // an outage shorter than a tick
                reportedDown = false;
                stats.reconnects.increment();
                stats.lastGapMs = gapMs;
                stats.totalGapMs.add(gapMs);
                membership.markAllDirty();
                resubscribeNeeded = true;
                log.info("cluster-reconnected", "redis", url, "nodeId", nodeId, "gapMs", gapMs,
                        "notPublished", stats.notPublished.sum() - notPublishedWhileUp, "rooms", channels.size());
            }
            long activations = link.activations();
            if ((activations != seenActivations || resubscribeNeeded) && link.pubsub.isOpen()) {
                seenActivations = activations;
                resubscribeNeeded = false;
                resubscribeAll();
            }
            RoomRegistry registry = rooms;
            if (up && registry != null) membership.sync(channels.keySet(), registry::membersOf);
            reportLosses();
        } catch (RuntimeException e) {
            log.error("cluster-error", "error", e.toString());
        }
    }

    /** SUBSCRIBE is idempotent in Redis: renewing every local room is always safe. */
    private void resubscribeAll() {
        for (String roomId : channels.keySet()) {
            ReentrantLock stripe = stripe(roomId);
            stripe.lock();
            try {
                RoomChannel room = channels.get(roomId);
                if (room != null) subscriptions.subscribe(room.channel);
            } finally {
                stripe.unlock();
            }
        }
    }

    private void reportLosses() {
        long missed = stats.missed.sum();
        if (missed != reportedMissed) {
            log.warn("cluster-missed", "messages", missed - reportedMissed, "total", missed,
                    "why", "other nodes published while this node was not subscribed");
            reportedMissed = missed;
        }
        long malformed = stats.malformed.sum();
        if (malformed != reportedMalformed) {
            log.warn("cluster-malformed", "messages", malformed - reportedMalformed, "last", stats.lastMalformed);
            reportedMalformed = malformed;
        }
    }

    /**
     * The room's members per live node, read from Redis now (blocking up to 2 s; for tools and
     * tests, not for a connection's thread).
     */
    public Map<String, Integer> clusterMembers(String roomId) throws ExecutionException, InterruptedException, TimeoutException {
        return membership.clusterMembers(roomId, 2000);
    }

    /** The {@code cluster} object of {@code /stats}. */
    public Map<String, Object> stats() {
        Map<String, Object> m = new LinkedHashMap<>();
        boolean up = link.isUp();
        long downSince = link.downSinceNanos();
        m.put("enabled", true);
        m.put("nodeId", nodeId);
        m.put("redis", url);
        m.put("connected", up);
        m.put("nodes", membership.liveNodes());
        m.put("subscribedRooms", channels.size());
        m.put("published", stats.published.sum());
        m.put("notPublished", stats.notPublished.sum());
        m.put("received", stats.received.sum());
        m.put("deliveredLocal", stats.deliveredLocal.sum());
        m.put("ignoredOwn", stats.ignoredOwn.sum());
        m.put("missed", stats.missed.sum());
        m.put("duplicates", stats.duplicates.sum());
        m.put("malformed", stats.malformed.sum());
        m.put("stray", stats.stray.sum());
        m.put("disconnects", stats.disconnects.sum());
        m.put("reconnects", stats.reconnects.sum());
        m.put("lastGapMs", stats.lastGapMs);
        m.put("totalGapMs", stats.totalGapMs.sum());
        m.put("downForMs", up || downSince == 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - downSince));
        return m;
    }

    /**
     * Leaves the cluster: removes this node's membership fields and heartbeat (waiting up to a
     * second for Redis), closes the connections. Call after the server closed its clients.
     */
    @Override
    public void close() {
        if (closed) return;
        try {
            CompletableFuture<Void> cleared = ticker.submit(() -> link.isUp()
                    ? membership.clear() : CompletableFuture.<Void>completedFuture(null)).get(1, TimeUnit.SECONDS);
            cleared.get(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Redis down or slow: the heartbeat expires and readers stop counting this node.
        }
        closed = true;
        ticker.shutdownNow();
        link.close();
        log.info("cluster-stopped", "nodeId", nodeId, "published", stats.published.sum(),
                "notPublished", stats.notPublished.sum(), "received", stats.received.sum());
    }

    /** For tests: rooms whose receive positions are held. */
    int roomsTracked() {
        return order.roomsTracked();
    }
}
