package dev.wsstudy.cluster;

import static dev.wsstudy.cluster.testing.RedisProbe.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wsstudy.cluster.testing.RedisProbe;
import dev.wsstudy.cluster.testing.RedisServer;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Redis lost while nodes run (docs/cluster.md, failure behaviour), with a real redis-server killed. */
class RedisOutageTest {

    @Test
    void localDeliveryGoesOnWhileRedisIsDownAndTheClusterHealsWhenItIsBack() throws Exception {
        try (RedisServer redis = RedisServer.start();
             TestNode a = new TestNode(redis.url());
             TestNode b = new TestNode(redis.url())) {
            RecordingPeer a1 = a.member("a1", "r");
            RecordingPeer b1 = b.member("b1", "r");
            try (RedisProbe probe = new RedisProbe(redis.url())) {
                probe.awaitSubscribers("r", 2);
            }
            a.broadcast("r", "before");
            await(() -> b1.received.contains("before"), "the first message across");

            redis.kill();
            await(() -> !a.bus.isConnected() && !b.bus.isConnected(), "both nodes to see the outage");
            a.broadcast("r", "during");
            RecordingPeer a2 = a.member("a2", "late");   // rooms created during the outage ...
            RecordingPeer b2 = b.member("b2", "late");
            assertThat(a1.received).containsExactly("before", "during"); // local delivery went on
            assertThat(a.stat("notPublished")).isEqualTo(1);
            await(() -> a.log.has("WARN cluster-disconnected"), "the disconnect log line");

            redis.restart(); // same port, empty: no subscriptions, no membership
            await(() -> a.bus.isConnected() && b.bus.isConnected(), "both nodes to reconnect");
            try (RedisProbe probe = new RedisProbe(redis.url())) {
                probe.awaitSubscribers("r", 2);
                probe.awaitSubscribers("late", 2); // ... are subscribed once Redis is back
            }
            a.broadcast("r", "after");
            b.broadcast("late", "late hello");
            await(() -> b1.received.contains("after") && a2.received.contains("late hello"), "cross-node delivery to resume");
            assertThat(b1.received).containsExactly("before", "after"); // "during" was never published
            assertThat(b2.received).containsExactly("late hello");

            for (TestNode n : new TestNode[] {a, b}) {
                Map<String, Object> s = n.bus.stats();
                assertThat(s).containsEntry("connected", true).containsEntry("disconnects", 1L).containsEntry("reconnects", 1L);
                assertThat((Long) s.get("lastGapMs")).isPositive();
                assertThat(s.get("totalGapMs")).isEqualTo(s.get("lastGapMs"));
            }
            assertThat(a.log.lines).anyMatch(l -> l.startsWith("INFO cluster-reconnected") && l.contains("gapMs=")
                    && l.contains("notPublished=1"));
            await(() -> members(b, "r").equals(Map.of(a.bus.nodeId(), 1, b.bus.nodeId(), 1)),
                    "membership rewritten into the new Redis");
        }
    }

    @Test
    void messagesPublishedWhileANodeWasNotSubscribedAreCountedAsMissed() throws Exception {
        try (RedisServer redis = RedisServer.start();
             RedisProbe probe = new RedisProbe(redis.url());
             TestNode a = new TestNode(redis.url());
             TestNode b = new TestNode(redis.url())) {
            a.member("talker", "gap");
            RecordingPeer listener = b.member("listener", "gap");
            probe.awaitSubscribers("gap", 2);

            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong sent = new AtomicLong();
            Thread talker = Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    a.broadcast("gap", "n" + sent.incrementAndGet());
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            await(() -> listener.received.size() > 20, "traffic");
            assertThat(probe.killConnections(b.bus.nodeId(), true)).isEqualTo(1); // b's subscription only
            await(() -> b.stat("reconnects") == 1, "b to reconnect");
            probe.awaitSubscribers("gap", 2);
            long resumedAt = listener.received.size();
            await(() -> listener.received.size() > resumedAt + 20, "traffic after the gap");
            stop.set(true);
            talker.join();
            await(() -> a.stat("published") == sent.get(), "every publish answered");
            await(() -> b.stat("received") + b.stat("missed") == sent.get(), "every message received or counted missed");

            assertThat(b.stat("missed")).isPositive();
            assertThat(b.stat("duplicates")).isZero();
            await(() -> b.log.has("WARN cluster-missed"), "the missed log line");
            assertThat(listener.received).doesNotHaveDuplicates();
            assertThat(a.stat("reconnects")).isZero(); // a never lost anything
        }
    }

    private static Map<String, Integer> members(TestNode n, String roomId) {
        try {
            return n.bus.clusterMembers(roomId);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
