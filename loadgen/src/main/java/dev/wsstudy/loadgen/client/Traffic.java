package dev.wsstudy.loadgen.client;

import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/** What a scenario does with a connection's events. Called on the connection's event loop. */
public interface Traffic {
    /** A data frame arrived (text or binary, whole message); the caller releases it afterwards. */
    void onFrame(Conn c, WebSocketFrame frame, long nowNanos);

    /** The socket accepts writes again after back-pressure. */
    default void onWritable(Conn c) {}

    /** The connection is gone (after a successful handshake). */
    default void onClosed(Conn c) {}
}
