package dev.wsstudy.cluster;

import static dev.wsstudy.cluster.testing.RedisProbe.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsstudy.cluster.testing.RedisProbe;
import dev.wsstudy.cluster.testing.RedisServer;
import dev.wsstudy.net.PortReservation;
import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link RedisRoomBus} against a real redis-server: the pub/sub contract between nodes. */
class RedisRoomBusTest {

    private static RedisServer redis;
    private static RedisProbe probe;
    private final List<TestNode> nodes = new ArrayList<>();

    @BeforeAll
    static void startRedis() throws IOException {
        redis = RedisServer.start();
        probe = new RedisProbe(redis.url());
    }

    @AfterAll
    static void stopRedis() {
        if (probe != null) probe.close();
        if (redis != null) redis.close();
    }

    @AfterEach
    void closeNodes() {
        nodes.forEach(TestNode::close);
    }

    private TestNode node() throws ClusterUnavailableException {
        TestNode n = new TestNode(redis.url());
        nodes.add(n);
        return n;
    }

    @Test
    void aNodeListensToARoomExactlyWhileItHasLocalMembers() throws Exception {
        TestNode a = node();
        a.member("alice", "lifecycle");
        probe.awaitSubscribers("lifecycle", 1);
        a.member("bob", "lifecycle");
        a.leave("alice", "lifecycle");
        assertThat(probe.subscribers("lifecycle")).isEqualTo(1); // bob is still here
        a.leave("bob", "lifecycle");
        probe.awaitSubscribers("lifecycle", 0);
        assertThat(a.bus.stats()).containsEntry("subscribedRooms", 0);
        assertThat(a.bus.roomsTracked()).isZero();

        a.join("bob", "lifecycle"); // a room can come back
        probe.awaitSubscribers("lifecycle", 1);
    }

    @Test
    void aBroadcastReachesEveryMemberOnEveryNodeExactlyOnce() throws Exception {
        TestNode a = node();
        TestNode b = node();
        TestNode c = node();
        RecordingPeer alice = a.member("alice", "spread");
        RecordingPeer anna = a.member("anna", "spread");
        RecordingPeer bob = b.member("bob", "spread");
        RecordingPeer carol = c.member("carol", "spread");
        probe.awaitSubscribers("spread", 3);

        a.broadcast("spread", "from-a");
        b.broadcast("spread", "from-b");
        await(() -> carol.received.size() == 2 && alice.received.size() == 2 && bob.received.size() == 2
                && anna.received.size() == 2, "every member to have both messages");
        Thread.sleep(200); // a duplicate would arrive by now

        for (RecordingPeer p : List.of(alice, anna, bob, carol)) {
            assertThat(p.received).containsExactlyInAnyOrder("from-a", "from-b");
        }
        assertThat(a.stat("ignoredOwn")).isEqualTo(1); // its own message came back from Redis and was dropped
        assertThat(a.stat("received")).isEqualTo(1);
        assertThat(a.stat("deliveredLocal")).isEqualTo(2); // alice and anna
        assertThat(c.stat("published")).isZero();
    }

    @Test
    void oneSendersMessagesArriveInOrderOnOtherNodes() throws Exception {
        TestNode a = node();
        TestNode b = node();
        a.member("sender", "ordered");
        RecordingPeer reader = b.member("reader", "ordered");
        probe.awaitSubscribers("ordered", 2);

        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            sent.add("m" + i);
            a.broadcast("ordered", "m" + i);
        }
        await(() -> reader.received.size() == sent.size(), "all 2000 messages at the other node");
        assertThat(reader.received).containsExactlyElementsOf(sent);
        assertThat(b.stat("missed")).isZero();
        assertThat(b.stat("duplicates")).isZero();
    }

    @Test
    void otherRoomsMessagesDoNotReachANode() throws Exception {
        TestNode a = node();
        TestNode b = node();
        a.member("x", "room-x");
        RecordingPeer y = b.member("y", "room-y");
        probe.awaitSubscribers("room-x", 1);
        probe.awaitSubscribers("room-y", 1);
        a.broadcast("room-x", "only for x");
        await(() -> a.stat("ignoredOwn") == 1, "the publisher to see its own message");
        assertThat(y.received).isEmpty();
        assertThat(b.stat("received")).isZero();
    }

    @Test
    void everyNodeReadsTheRoomsMembershipAcrossTheCluster() throws Exception {
        TestNode a = node();
        TestNode b = node();
        a.member("a1", "counted");
        a.member("a2", "counted");
        b.member("b1", "counted");
        await(() -> members(b, "counted").equals(Map.of(a.bus.nodeId(), 2, b.bus.nodeId(), 1)),
                "both nodes' counts, seen from b");
        assertThat(members(a, "counted")).isEqualTo(members(b, "counted"));
        assertThat(probe.redis().hgetall("wsstudy:members:counted")).hasSize(2); // readable by anyone

        a.leave("a2", "counted");
        await(() -> members(b, "counted").get(a.bus.nodeId()) == 1, "a's count to drop");
        a.close();
        nodes.remove(a);
        await(() -> members(b, "counted").equals(Map.of(b.bus.nodeId(), 1)), "a's fields to be cleared at shutdown");
        assertThat(probe.redis().zscore("wsstudy:nodes", a.bus.nodeId())).isNull();
    }

    @Test
    void anotherPublishersBytesOnARoomChannelAreDroppedAndCounted() throws Exception {
        TestNode a = node();
        RecordingPeer m = a.member("m", "noisy");
        probe.awaitSubscribers("noisy", 1);
        probe.redis().publish("wsstudy:room:noisy", "not an envelope");
        await(() -> a.stat("malformed") == 1, "the malformed message to be counted");
        TestNode b = node();
        b.member("n", "noisy");
        probe.awaitSubscribers("noisy", 2);
        b.broadcast("noisy", "still works");
        await(() -> m.received.contains("still works"), "delivery to go on");
        assertThat(m.received).containsExactly("still works");
    }

    @Test
    void redisUnreachableAtStartIsAClearError() throws IOException {
        // Reserved but never listening: refused, and no other process can listen there meanwhile.
        try (Socket reserved = PortReservation.reserveLoopbackPort()) {
            int closedPort = reserved.getLocalPort();
            assertThatThrownBy(() -> RedisRoomBus.connect("redis://127.0.0.1:" + closedPort, ClusterLog.SILENT, TestNode.FAST))
                    .isInstanceOf(ClusterUnavailableException.class)
                    .hasMessageContaining("cannot reach Redis at redis://127.0.0.1:" + closedPort)
                    .hasMessageContaining("refused");
        }
        assertThatThrownBy(() -> RedisRoomBus.connect("http://127.0.0.1:1", ClusterLog.SILENT))
                .isInstanceOf(ClusterUnavailableException.class)
                .hasMessageContaining("redis://HOST:PORT");
    }

    private static Map<String, Integer> members(TestNode n, String roomId) {
        try {
            return n.bus.clusterMembers(roomId);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
