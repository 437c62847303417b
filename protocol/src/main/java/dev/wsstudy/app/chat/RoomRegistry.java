package dev.wsstudy.app.chat;

import dev.wsstudy.app.Peer;
import dev.wsstudy.app.PreparedMessage;
import dev.wsstudy.app.RoomBus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is where: client id → member, room id → members, member → its rooms.
 *
 * <p><b>Thread contract.</b> Every method is safe from any thread. The event loop calls it from
 * one thread (uncontended); the blocking servers from many at once. Client ids are claimed with an
 * atomic put-if-absent. A room's member list is a copy-on-write array replaced inside
 * {@link ConcurrentHashMap#compute}, so joins and leaves of one room are serialized, an empty room
 * disappears atomically (no join can land in a room being removed), and a broadcast reads one
 * array with no lock. A {@link Member}'s own room set is touched only by its connection's thread.
 *
 * <p>Cluster mode: the {@link RoomBus} learns when a room gains its first and loses its last
 * local member, gets every broadcast after local delivery, and hands other nodes' broadcasts to
 * {@link #deliverLocal}. Counts are local to this node.
 */
public final class RoomRegistry {
    /** A client may be in at most this many rooms (docs/wire-protocol.md). */
    public static final int MAX_ROOMS_PER_CLIENT = 16;

    private final RoomBus bus;
    private final ConcurrentHashMap<String, Member> clients = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();

    public RoomRegistry(RoomBus bus) {
        this.bus = bus;
    }

    /** One initialized chat client. */
    public static final class Member {
        private final String clientId;
        private final Peer peer;
        private final Set<String> rooms = new LinkedHashSet<>(); // its connection's thread only

        Member(String clientId, Peer peer) {
            this.clientId = clientId;
            this.peer = peer;
        }

        public String clientId() {
            return clientId;
        }

        public Peer peer() {
            return peer;
        }

        /** A snapshot of the rooms this member is in. */
        public List<String> rooms() {
            return List.copyOf(rooms);
        }

        public boolean isIn(String roomId) {
            return rooms.contains(roomId);
        }
    }

    private static final class Room {
        private static final Member[] NONE = new Member[0];
        private volatile Member[] members = NONE;
    }

    /** Claims {@code clientId} for {@code peer}; null when another connection holds it. */
    public Member register(String clientId, Peer peer) {
        Member member = new Member(clientId, peer);
        return clients.putIfAbsent(clientId, member) == null ? member : null;
    }

    /**
     * Adds the member to the room. Returns the room's member count afterwards (counting the member),
     * or -1 when the member is already in {@link #MAX_ROOMS_PER_CLIENT} other rooms. Joining a room
     * the member is already in changes nothing and returns the count.
     */
    public int join(Member member, String roomId) {
        if (member.rooms.contains(roomId)) {
            return membersOf(roomId);
        }
        if (member.rooms.size() >= MAX_ROOMS_PER_CLIENT) {
            return -1;
        }
        int[] count = new int[1];
        rooms.compute(roomId, (id, room) -> {
            if (room == null) {
                room = new Room();
                bus.subscribe(id);
            }
            Member[] old = room.members;
            Member[] grown = Arrays.copyOf(old, old.length + 1);
            grown[old.length] = member;
            room.members = grown;
            count[0] = grown.length;
            return room;
        });
        member.rooms.add(roomId);
        return count[0];
    }

    /** Removes the member from the room; false when it was not in it. */
    public boolean leave(Member member, String roomId) {
        if (!member.rooms.remove(roomId)) {
            return false;
        }
        rooms.computeIfPresent(roomId, (id, room) -> {
            Member[] old = room.members;
            int at = Arrays.asList(old).indexOf(member);
            if (at < 0) {
                return room;
            }
            if (old.length == 1) {
                bus.unsubscribe(id);
                return null; // the last member left: the room is gone
            }
            Member[] shrunk = new Member[old.length - 1];
            System.arraycopy(old, 0, shrunk, 0, at);
            System.arraycopy(old, at + 1, shrunk, at, old.length - at - 1);
            room.members = shrunk;
            return room;
        });
        return true;
    }

    /** Leaves every room and frees the client id. Returns the rooms left, in join order. */
    public List<String> unregister(Member member) {
        List<String> left = new ArrayList<>(member.rooms);
        for (String roomId : left) {
            leave(member, roomId);
        }
        clients.remove(member.clientId, member);
        return left;
    }

    /** Sends to every local member and publishes to the other nodes. Returns local sends accepted. */
    public int broadcast(String roomId, PreparedMessage message) {
        int sent = deliverLocal(roomId, message, null);
        bus.publish(roomId, message);
        return sent;
    }

    /** Like {@link #broadcast} but skips {@code except} locally (join/leave notices to the others). */
    public int broadcastExcept(String roomId, PreparedMessage message, Member except) {
        int sent = deliverLocal(roomId, message, except);
        bus.publish(roomId, message);
        return sent;
    }

    /** Sends to this node's members only (the bus calls this for other nodes' broadcasts). */
    public int deliverLocal(String roomId, PreparedMessage message) {
        return deliverLocal(roomId, message, null);
    }

    private int deliverLocal(String roomId, PreparedMessage message, Member except) {
        Room room = rooms.get(roomId);
        if (room == null) {
            return 0;
        }
        int sent = 0;
        for (Member m : room.members) {
            if (m != except && m.peer.send(message)) {
                sent++;
            }
        }
        return sent;
    }

    public int roomCount() {
        return rooms.size();
    }

    public int clientCount() {
        return clients.size();
    }

    /** Local members of the room (0 when it does not exist). */
    public int membersOf(String roomId) {
        Room room = rooms.get(roomId);
        return room == null ? 0 : room.members.length;
    }

    /** Whether {@code clientId} is connected here. */
    public boolean isConnected(String clientId) {
        return clients.containsKey(clientId);
    }
}
