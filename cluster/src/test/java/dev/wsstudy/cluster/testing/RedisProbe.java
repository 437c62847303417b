package dev.wsstudy.cluster.testing;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A test's own look into Redis (a plain Lettuce connection): who is subscribed to a room, which
 * node owns which connection, and a way to inject bytes on a room channel.
 */
public final class RedisProbe implements AutoCloseable {

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisCommands<String, String> redis;

    public RedisProbe(String url) {
        client = RedisClient.create(url);
        connection = client.connect();
        redis = connection.sync();
    }

    public RedisCommands<String, String> redis() {
        return redis;
    }

    /** Subscribers of the room's channel in Redis right now (PUBSUB NUMSUB). */
    public long subscribers(String roomId) {
        Map<String, Long> n = redis.pubsubNumsub("wsstudy:room:" + roomId);
        return n.getOrDefault("wsstudy:room:" + roomId, 0L);
    }

    /** Waits until the room's channel has {@code n} subscribers (a SUBSCRIBE is asynchronous). */
    public void awaitSubscribers(String roomId, long n) {
        await(() -> subscribers(roomId) == n, "room " + roomId + " to have " + n + " subscribers, has " + subscribers(roomId));
    }

    /** Kills the connections of one node (by its client name), e.g. only its subscription connection. */
    public long killConnections(String nodeId, boolean subscriptionOnly) {
        long killed = 0;
        for (String line : redis.clientList().split("\n")) {
            if (!line.contains(" name=wsstudy-" + nodeId + " ")) continue;
            boolean subscriber = !line.contains(" sub=0 ");
            if (subscriptionOnly && !subscriber) continue;
            String id = line.substring(line.indexOf("id=") + 3, line.indexOf(' ', line.indexOf("id=")));
            killed += redis.clientKill(io.lettuce.core.KillArgs.Builder.id(Long.parseLong(id)));
        }
        return killed;
    }

    public static void await(BooleanSupplier condition, String what) {
        // Generous: nodes, Redis and the test share a busy machine's 2 cores in CI.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    }
}
