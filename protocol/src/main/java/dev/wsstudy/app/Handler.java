package dev.wsstudy.app;

/**
 * One connection's application logic: the three events of a WebSocket connection. Called by the
 * connection's session on its reader thread, one call at a time, never concurrently; sending to
 * other connections (through their {@link Peer}s) is safe from here.
 */
public interface Handler {

    /** The handshake completed; the peer can be sent to. */
    void onOpen();

    /** A complete data message (text already validated as UTF-8). Valid only during the call. */
    void onMessage(Message message);

    /**
     * The connection is over (called exactly once if {@link #onOpen} was called). {@code code} is
     * the close code the peer sent, or the one the server sent when the peer sent none, or 1006
     * when the connection just ended. Free every trace of the connection here.
     */
    void onClose(int code, String reason);
}
