package dev.wsstudy.cluster;

import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToIntFunction;

/**
 * Room membership across the cluster, in Redis, readable by every node and by {@code redis-cli}:
 * <ul>
 *   <li>{@code wsstudy:members:<roomId>}: a hash, field = node id, value = that node's local
 *       member count of the room ({@code HGETALL wsstudy:members:lobby});</li>
 *   <li>{@code wsstudy:nodes}: a sorted set, member = node id, score = its last heartbeat (epoch
 *       ms). A node that stops heartbeating (crashed) is not live after {@code liveWindow}; readers
 *       ignore its hash fields, so a crashed node's members stop counting by themselves.</li>
 * </ul>
 * Counts are written by a periodic sync, not per join: a join storm of 20,000 clients costs one
 * HSET per room per sync interval, not 20,000 round trips, and the counts heal themselves after an
 * outage (everything is rewritten once the link is back). Absolute values (HSET), not increments:
 * a lost or repeated write can never leave a count permanently wrong.
 *
 * <p>Thread contract: {@link #sync}, {@link #markAllDirty} and {@link #clear} run on the bus's
 * ticker thread only; {@link #clusterMembers} and {@link #liveNodes} from any thread.
 */
final class Membership {

    static final String NODES = "wsstudy:nodes";
    private static final String MEMBERS_PREFIX = "wsstudy:members:";

    private final String nodeId;
    private final byte[] nodeIdBytes;
    private final RedisAsyncCommands<String, byte[]> redis;
    private final long liveWindowMillis;
    /** Room → count last written; -1 = write again. Ticker thread only. */
    private final HashMap<String, Integer> written = new HashMap<>();
    private volatile List<String> liveNodes = List.of();

    Membership(String nodeId, RedisAsyncCommands<String, byte[]> redis, long liveWindowMillis) {
        this.nodeId = nodeId;
        this.nodeIdBytes = nodeId.getBytes(StandardCharsets.US_ASCII);
        this.redis = redis;
        this.liveWindowMillis = liveWindowMillis;
    }

    static String membersKey(String roomId) {
        return MEMBERS_PREFIX + roomId;
    }

    /** Heartbeat, then the local counts that changed since the last sync (rooms gone: HDEL). */
    void sync(Set<String> localRooms, ToIntFunction<String> membersOf) {
        long now = System.currentTimeMillis();
        redis.zadd(NODES, now, nodeIdBytes);
        redis.zremrangebyscore(NODES, Range.create(0, now - 10 * liveWindowMillis));
        redis.zrangebyscore(NODES, Range.from(Range.Boundary.including(now - liveWindowMillis), Range.Boundary.unbounded()))
                .thenAccept(ids -> liveNodes = ascii(ids));
        for (String room : localRooms) {
            int n = membersOf.applyAsInt(room);
            Integer was = written.get(room);
            if (n > 0 && (was == null || was != n)) {
                redis.hset(membersKey(room), nodeId, Integer.toString(n).getBytes(StandardCharsets.US_ASCII));
                written.put(room, n);
            }
        }
        for (Iterator<Map.Entry<String, Integer>> it = written.entrySet().iterator(); it.hasNext(); ) {
            String room = it.next().getKey();
            if (!localRooms.contains(room) || membersOf.applyAsInt(room) == 0) {
                redis.hdel(membersKey(room), nodeId);
                it.remove();
            }
        }
    }

    /** After an outage: every count is written again at the next sync (writes may have been lost). */
    void markAllDirty() {
        written.replaceAll((room, n) -> -1);
    }

    /** Shutdown: this node's fields and heartbeat go away. Completes when Redis answered. */
    CompletableFuture<Void> clear() {
        List<CompletableFuture<?>> answers = new ArrayList<>();
        for (String room : written.keySet()) answers.add(redis.hdel(membersKey(room), nodeId).toCompletableFuture());
        written.clear();
        answers.add(redis.zrem(NODES, nodeIdBytes).toCompletableFuture());
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new));
    }

    /** Node ids that heartbeated within the live window, as of the last sync. */
    List<String> liveNodes() {
        return liveNodes;
    }

    /**
     * The room's members per live node, read from Redis now (blocking, at most {@code timeoutMillis}).
     * For tools and tests; never called on a connection's thread.
     */
    Map<String, Integer> clusterMembers(String roomId, long timeoutMillis)
            throws ExecutionException, InterruptedException, TimeoutException {
        long now = System.currentTimeMillis();
        RedisFuture<Map<String, byte[]>> counts = redis.hgetall(membersKey(roomId));
        RedisFuture<List<byte[]>> live = redis.zrangebyscore(NODES,
                Range.from(Range.Boundary.including(now - liveWindowMillis), Range.Boundary.unbounded()));
        List<String> liveIds = ascii(live.get(timeoutMillis, TimeUnit.MILLISECONDS));
        Map<String, Integer> result = new TreeMap<>();
        counts.get(timeoutMillis, TimeUnit.MILLISECONDS).forEach((node, n) -> {
            if (liveIds.contains(node)) result.put(node, Integer.parseInt(new String(n, StandardCharsets.US_ASCII)));
        });
        return result;
    }

    private static List<String> ascii(List<byte[]> ids) {
        List<String> out = new ArrayList<>(ids.size());
        for (byte[] id : ids) out.add(new String(id, StandardCharsets.US_ASCII));
        return List.copyOf(out);
    }
}
