package dev.wsstudy.protocol;

import dev.wsstudy.protocol.handshake.HttpRequestHead;
import dev.wsstudy.protocol.handshake.HttpResponse;

/**
 * Answers plain HTTP requests (no WebSocket upgrade) such as {@code GET /health}: the servers plug
 * their routes ({@code /health}, {@code /stats}, the demo page) in here. The session sends the
 * answer with {@code Connection: close} and closes the connection after it.
 *
 * <p>Called on the connection's reader thread, once per connection at most.
 */
@FunctionalInterface
public interface HttpResponder {

    /** The answer, or {@code null} for "not mine": the session then answers 404. */
    HttpResponse respond(HttpRequestHead request);

    /** Knows no routes: every plain request gets 404. */
    HttpResponder NONE = request -> null;
}
