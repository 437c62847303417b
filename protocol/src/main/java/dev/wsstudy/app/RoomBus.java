package dev.wsstudy.app;

/**
 * Cluster hook of the chat rooms: carries room broadcasts between server nodes (e.g. Redis
 * pub/sub). The default {@link #LOCAL} does nothing: one node, every member local.
 *
 * <p>The registry calls {@link #subscribe}/{@link #unsubscribe} when a room gains its first /
 * loses its last local member, in order per room (under that room's lock: they must not block),
 * and {@link #publish} after delivering a broadcast to the local members. A bus delivers other
 * nodes' messages by calling {@code RoomRegistry.deliverLocal}.
 */
public interface RoomBus {

    /** Hands a broadcast (an encoded frame, see {@link PreparedMessage#bytes()}) to the other nodes. */
    void publish(String roomId, PreparedMessage message);

    /** The room has its first local member: start receiving its broadcasts. */
    void subscribe(String roomId);

    /** The room lost its last local member. */
    void unsubscribe(String roomId);

    RoomBus LOCAL = new RoomBus() {
        @Override
        public void publish(String roomId, PreparedMessage message) {
        }

        @Override
        public void subscribe(String roomId) {
        }

        @Override
        public void unsubscribe(String roomId) {
        }
    };
}
