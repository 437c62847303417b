package dev.wsstudy.app.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsstudy.app.Peer;
import dev.wsstudy.app.PreparedMessage;
import dev.wsstudy.app.RoomBus;
import dev.wsstudy.protocol.handshake.HttpRequestHead;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The registry's bookkeeping, the shared broadcast frame, the cluster hooks, and thread safety. */
class RoomRegistryTest {

    /** A peer that records the prepared messages it is handed. */
    static final class RecordingPeer implements Peer {
        final String id;
        final List<PreparedMessage> sent = java.util.Collections.synchronizedList(new ArrayList<>());
        volatile int closeCode = -1;

        RecordingPeer(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public boolean send(PreparedMessage message) {
            sent.add(message);
            return true;
        }

        @Override
        public void close(int code, String reason) {
            closeCode = code;
        }

        @Override
        public String remoteAddress() {
            return "";
        }
    }

    /** Counts subscribe/unsubscribe per room and publishes. */
    static final class CountingBus implements RoomBus {
        final Map<String, AtomicInteger> subscriptions = new ConcurrentHashMap<>();
        final AtomicInteger subscribes = new AtomicInteger();
        final AtomicInteger published = new AtomicInteger();

        @Override
        public void publish(String roomId, PreparedMessage message) {
            published.incrementAndGet();
        }

        @Override
        public void subscribe(String roomId) {
            subscribes.incrementAndGet();
            int now = subscriptions.computeIfAbsent(roomId, r -> new AtomicInteger()).incrementAndGet();
            assertThat(now).as("subscribed twice to " + roomId).isEqualTo(1);
        }

        @Override
        public void unsubscribe(String roomId) {
            int now = subscriptions.get(roomId).decrementAndGet();
            assertThat(now).as("unsubscribed twice from " + roomId).isZero();
        }
    }

    @Test
    void registerRefusesATakenClientId() {
        RoomRegistry r = new RoomRegistry(RoomBus.LOCAL);
        assertThat(r.register("alice", new RecordingPeer("1"))).isNotNull();
        assertThat(r.register("alice", new RecordingPeer("2"))).isNull();
        assertThat(r.isConnected("alice")).isTrue();
    }

    @Test
    void joinCountsMembersAndLeaveRemovesAnEmptyRoom() {
        RoomRegistry r = new RoomRegistry(RoomBus.LOCAL);
        RoomRegistry.Member a = r.register("a", new RecordingPeer("1"));
        RoomRegistry.Member b = r.register("b", new RecordingPeer("2"));
        assertThat(r.join(a, "x")).isEqualTo(1);
        assertThat(r.join(b, "x")).isEqualTo(2);
        assertThat(r.join(b, "x")).as("again: no change").isEqualTo(2);
        assertThat(r.leave(a, "x")).isTrue();
        assertThat(r.leave(a, "x")).isFalse();
        assertThat(r.membersOf("x")).isEqualTo(1);
        r.leave(b, "x");
        assertThat(r.roomCount()).isZero();
        assertThat(r.membersOf("x")).isZero();
    }

    @Test
    void unregisterLeavesEveryRoomAndFreesTheId() {
        RoomRegistry r = new RoomRegistry(RoomBus.LOCAL);
        RoomRegistry.Member a = r.register("a", new RecordingPeer("1"));
        r.join(a, "x");
        r.join(a, "y");
        assertThat(r.unregister(a)).containsExactly("x", "y");
        assertThat(r.roomCount()).isZero();
        assertThat(r.clientCount()).isZero();
        assertThat(r.register("a", new RecordingPeer("2"))).isNotNull();
    }

    @Test
    void seventeenthRoomIsRefused() {
        RoomRegistry r = new RoomRegistry(RoomBus.LOCAL);
        RoomRegistry.Member a = r.register("a", new RecordingPeer("1"));
        for (int i = 0; i < RoomRegistry.MAX_ROOMS_PER_CLIENT; i++) {
            assertThat(r.join(a, "r" + i)).isEqualTo(1);
        }
        assertThat(r.join(a, "one-too-many")).isEqualTo(-1);
        assertThat(r.join(a, "r3")).as("rejoining a room it is in is fine").isEqualTo(1);
    }

    @Test
    void aChatBroadcastIsEncodedOnceAndTheSameFrameGoesToEveryMember() {
        RoomRegistry r = new RoomRegistry(RoomBus.LOCAL);
        ChatEndpoint endpoint = new ChatEndpoint(r);
        HttpRequestHead head = new HttpRequestHead("GET", "/chat", "HTTP/1.1", List.of(), List.of());
        List<RecordingPeer> peers = new ArrayList<>();
        List<dev.wsstudy.app.Handler> handlers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            RecordingPeer p = new RecordingPeer("c" + i);
            dev.wsstudy.app.Handler h = endpoint.open(p, head);
            h.onOpen();
            h.onMessage(new dev.wsstudy.app.Message(true, java.nio.ByteBuffer.wrap(
                    ("{\"type\":\"init\",\"clientId\":\"u" + i + "\",\"roomId\":\"big\"}").getBytes())));
            peers.add(p);
            handlers.add(h);
        }
        peers.forEach(p -> p.sent.clear());
        handlers.get(7).onMessage(new dev.wsstudy.app.Message(true,
                java.nio.ByteBuffer.wrap("{\"type\":\"chat\",\"body\":\"x\"}".getBytes())));
        PreparedMessage first = peers.get(0).sent.get(0);
        for (RecordingPeer p : peers) {
            assertThat(p.sent).singleElement().isSameAs(first);
        }
    }

    @Test
    void busHearsFirstJoinAndLastLeaveAndEveryBroadcast() {
        CountingBus bus = new CountingBus();
        RoomRegistry r = new RoomRegistry(bus);
        RoomRegistry.Member a = r.register("a", new RecordingPeer("1"));
        RoomRegistry.Member b = r.register("b", new RecordingPeer("2"));
        r.join(a, "x");
        r.join(b, "x");
        assertThat(bus.subscriptions.get("x").get()).isEqualTo(1);
        r.broadcast("x", PreparedMessage.text("hi"));
        assertThat(bus.published.get()).isEqualTo(1);
        r.leave(a, "x");
        assertThat(bus.subscriptions.get("x").get()).isEqualTo(1);
        r.leave(b, "x");
        assertThat(bus.subscriptions.get("x").get()).isZero();
    }

    @Test
    void deliverLocalReachesLocalMembersWithoutPublishing() {
        CountingBus bus = new CountingBus();
        RoomRegistry r = new RoomRegistry(bus);
        RecordingPeer peer = new RecordingPeer("1");
        r.join(r.register("a", peer), "x");
        assertThat(r.deliverLocal("x", PreparedMessage.text("from another node"))).isEqualTo(1);
        assertThat(peer.sent).hasSize(1);
        assertThat(bus.published.get()).isZero();
        assertThat(r.deliverLocal("nowhere", PreparedMessage.text("x"))).isZero();
    }

    @Test
    void onlyOneOfManyThreadsClaimsAClientId() throws Exception {
        for (int round = 0; round < 50; round++) {
            RoomRegistry r = new RoomRegistry(RoomBus.LOCAL);
            AtomicInteger winners = new AtomicInteger();
            CountDownLatch go = new CountDownLatch(1);
            Thread[] threads = new Thread[8];
            for (int t = 0; t < threads.length; t++) {
                int id = t;
                threads[t] = new Thread(() -> {
                    await(go);
                    if (r.register("same", new RecordingPeer("p" + id)) != null) {
                        winners.incrementAndGet();
                    }
                });
                threads[t].start();
            }
            go.countDown();
            for (Thread t : threads) {
                t.join();
            }
            assertThat(winners.get()).isEqualTo(1);
        }
    }

    @Test
    void concurrentJoinsLeavesAndBroadcastsFromManyThreadsLeaveAConsistentRegistry() throws Exception {
        CountingBus bus = new CountingBus();
        RoomRegistry r = new RoomRegistry(bus);
        int threads = 8;
        int clientsPerThread = 50;
        CountDownLatch go = new CountDownLatch(1);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int seed = t;
            workers[t] = new Thread(() -> {
                try {
                    await(go);
                    Random random = new Random(seed);
                    List<RoomRegistry.Member> mine = new ArrayList<>();
                    for (int c = 0; c < clientsPerThread; c++) {
                        mine.add(r.register("t" + seed + "c" + c, new RecordingPeer("t" + seed + "c" + c)));
                    }
                    for (int step = 0; step < 5000; step++) {
                        RoomRegistry.Member m = mine.get(random.nextInt(mine.size()));
                        String room = "room" + random.nextInt(6);
                        switch (random.nextInt(3)) {
                            case 0 -> r.join(m, room);
                            case 1 -> r.leave(m, room);
                            default -> r.broadcast(room, PreparedMessage.text("x"));
                        }
                        int members = r.membersOf(room);
                        if (members < 0 || members > threads * clientsPerThread) {
                            throw new AssertionError("impossible member count " + members);
                        }
                    }
                    for (RoomRegistry.Member m : mine) {
                        r.unregister(m);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            workers[t].start();
        }
        go.countDown();
        for (Thread w : workers) {
            w.join();
        }
        assertThat(failures).isEmpty();
        assertThat(r.roomCount()).isZero();
        assertThat(r.clientCount()).isZero();
        assertThat(bus.subscriptions.values()).allMatch(count -> count.get() == 0);
        assertThat(bus.subscribes.get()).isPositive();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
