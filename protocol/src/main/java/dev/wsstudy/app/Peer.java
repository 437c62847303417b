package dev.wsstudy.app;

/**
 * The application's handle on one connection. {@link #send} and {@link #close} are safe from any
 * thread: a chat broadcast calls {@code send} on every member's peer from the sender's thread.
 */
public interface Peer {

    /** A process-unique connection id (for logs and maps), e.g. {@code c42}. */
    String id();

    /**
     * Queues an already encoded message. Returns false when it was not queued: the connection is no
     * longer open, or its outbox is full (it is then being closed as a slow consumer, 1008).
     * Never blocks.
     */
    boolean send(PreparedMessage message);

    /** Starts the close handshake with {@code code} (e.g. 1008 after a policy error). */
    void close(int code, String reason);

    /** The client's address as the server saw it, for logs ("" when unknown). */
    String remoteAddress();
}
