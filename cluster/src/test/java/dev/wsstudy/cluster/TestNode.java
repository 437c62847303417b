package dev.wsstudy.cluster;

import dev.wsstudy.app.PreparedMessage;
import dev.wsstudy.app.chat.RoomRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One cluster node without sockets: a real {@link RoomRegistry} on a real {@link RedisRoomBus}. */
final class TestNode implements AutoCloseable {
    static final RedisRoomBus.Settings FAST = RedisRoomBus.Settings.defaults().withSyncInterval(Duration.ofMillis(100));

    final RedisRoomBus bus;
    final RoomRegistry rooms;
    private final Map<String, RoomRegistry.Member> members = new ConcurrentHashMap<>();

    final RecordingLog log = new RecordingLog();

    TestNode(String url) throws ClusterUnavailableException {
        bus = RedisRoomBus.connect(url, log, FAST);
        rooms = new RoomRegistry(bus);
        bus.attach(rooms);
    }

    /** Registers a client and puts it in the room. */
    RecordingPeer member(String clientId, String roomId) {
        RecordingPeer peer = new RecordingPeer();
        RoomRegistry.Member m = rooms.register(clientId, peer);
        rooms.join(m, roomId);
        members.put(clientId, m);
        return peer;
    }

    void leave(String clientId, String roomId) {
        rooms.leave(members.get(clientId), roomId);
    }

    void join(String clientId, String roomId) {
        rooms.join(members.get(clientId), roomId);
    }

    void broadcast(String roomId, String text) {
        rooms.broadcast(roomId, PreparedMessage.text(text));
    }

    long stat(String name) {
        return ((Number) bus.stats().get(name)).longValue();
    }

    @Override
    public void close() {
        bus.close();
    }
}
