package dev.wsstudy.cluster;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Receiver side of the per-room sequences: for each room this node is subscribed to, and each
 * publishing node, the epoch and the last sequence seen.
 *
 * <p>Redis pub/sub delivers at most once and in publish order on one connection, so a jump in
 * the sequence means messages were published while this node was not listening (its subscription
 * connection was down, or Redis dropped it for an overfull output buffer): they are counted as
 * missed. A sequence that does not move forward within an epoch is a duplicate and is dropped,
 * so a member never sees one message twice. A new epoch (the publisher's room was re-created, or
 * this node just subscribed) starts over without counting anything: a member that joined late
 * did not miss what was said before it joined.
 *
 * <p>Thread contract: {@link #accept} runs on the one thread that reads the subscription
 * connection; {@link #forget} may run on any thread (a room's last local member leaving).
 */
final class ReceiveOrder {

    /** {@link #accept}'s answer for a message that is not new. */
    static final long DUPLICATE = -1;

    private static final class Position {
        int epoch;
        long seq;
    }

    private final ConcurrentHashMap<String, ConcurrentHashMap<Long, Position>> rooms = new ConcurrentHashMap<>();

    /**
     * Records a message; returns how many messages of this publisher and room were missed just
     * before it (0 normally), or {@link #DUPLICATE}. Unsequenced messages (epoch 0) return 0.
     */
    long accept(String roomId, long node, int epoch, long seq) {
        if (epoch == 0) return 0;
        Position p = rooms.computeIfAbsent(roomId, r -> new ConcurrentHashMap<>())
                .computeIfAbsent(node, n -> new Position());
        if (p.epoch != epoch) {
            p.epoch = epoch;
            p.seq = seq;
            return 0;
        }
        if (seq <= p.seq) return DUPLICATE;
        long missed = seq - p.seq - 1;
        p.seq = seq;
        return missed;
    }

    /** This node left the room's channel: what it knew about it no longer applies. */
    void forget(String roomId) {
        rooms.remove(roomId);
    }

    /** Rooms tracked (for tests: forgotten rooms hold no memory). */
    int roomsTracked() {
        return rooms.size();
    }
}
