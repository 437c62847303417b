package dev.wsstudy.protocol.session;

/**
 * Log-worthy moments of a session, so that every server logs the same things the same way. The
 * session itself never logs. Called on the connection's reader thread. All methods default to
 * doing nothing.
 */
public interface SessionEvents {

    /** The handshake succeeded for {@code path}. */
    default void opened(String path) {
    }

    /** A plain HTTP request was answered (e.g. {@code GET /health} → 200, unknown path → 404). */
    default void httpServed(String method, String target, int status) {
    }

    /** The request head or the upgrade was refused with HTTP {@code status}. */
    default void handshakeRejected(int status, String why) {
    }

    /** The peer broke a protocol rule; the connection is failed with {@code closeCode}. */
    default void protocolError(int closeCode, String why) {
    }

    /** A timeout fired: {@code "handshake"}, {@code "idle"} or {@code "close"}. */
    default void timedOut(String what) {
    }

    /** Application code threw; the connection is failed with 1011 (or the request answered 500). */
    default void handlerFailed(Throwable error) {
    }

    /** An opened WebSocket connection ended (same code and reason as the handler's onClose). */
    default void closed(int code, String reason) {
    }

    SessionEvents NONE = new SessionEvents() {
    };
}
