package dev.wsstudy.protocol;

import java.nio.ByteBuffer;

/**
 * What a {@link Session} needs from the connection that owns the socket: somewhere to put bytes.
 * Each server implements it once (event loop, blocking); the session never touches a socket.
 *
 * <p>Thread contract: {@link #send} may be called from any thread (a broadcast runs on the
 * sender's thread), so implementations make it safe; {@link #closeAfterFlush()} and
 * {@link #abort()} likewise. The bytes handed to {@code send} are immutable and may be shared by
 * many transports (a broadcast is encoded once): the transport owns the buffer's position and
 * limit, never its content.
 */
public interface Transport {

    /**
     * Queues {@code bytes} for writing, in call order. Returns {@code false} when the connection's
     * bounded outbox is full: the transport has then started closing the connection as a slow
     * consumer (close 1008), and the bytes were dropped.
     */
    boolean send(ByteBuffer bytes);

    /**
     * As {@link #send}, except that the transport may leave starting or waking its writer to
     * {@link #wake()}. The session queues under its lock with this and calls {@code wake()} right
     * after releasing the lock: starting a writer thread can take milliseconds (a platform thread
     * on a saturated CPU), and a broadcaster holding a member's lock meanwhile stops every other
     * broadcaster to that member (docs/servers.md, "Joining a big room").
     */
    default boolean enqueue(ByteBuffer bytes) {
        return send(bytes);
    }

    /** Starts or wakes whatever writes what {@link #enqueue} queued. Any thread; call it holding no lock. */
    default void wake() {
    }

    /** Closes the TCP connection once everything queued so far has been written (or a timeout). */
    void closeAfterFlush();

    /** Closes the TCP connection now, dropping whatever is queued. */
    void abort();

    /** The peer's address for logs and {@code Peer.remoteAddress()}; "" when unknown. */
    default String remoteAddress() {
        return "";
    }
}
