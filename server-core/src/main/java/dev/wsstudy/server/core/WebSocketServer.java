package dev.wsstudy.server.core;

import java.io.IOException;
import java.net.InetSocketAddress;

/** What the three servers have in common for {@link ServerLifecycle}: start and stop. */
public interface WebSocketServer {

    /** Binds and starts serving; returns the bound address (the real port when 0 was asked). */
    InetSocketAddress start() throws IOException;

    /**
     * Stops accepting, closes every connection with 1001 "server shutting down", waits up to
     * {@code timeoutMillis} for the close handshakes and final flushes, then drops what is left.
     */
    void shutdown(long timeoutMillis);

    /** Open connections (for tests and shutdown). */
    int connectionCount();
}
