package dev.wsstudy.app;

import dev.wsstudy.protocol.handshake.HttpRequestHead;

/** A WebSocket application at one path: makes a {@link Handler} for each accepted connection. */
@FunctionalInterface
public interface Endpoint {

    /**
     * Called during the handshake, before the 101 is sent; do not send from here (wait for
     * {@link Handler#onOpen}). The request head is valid only during the call.
     */
    Handler open(Peer peer, HttpRequestHead request);
}
