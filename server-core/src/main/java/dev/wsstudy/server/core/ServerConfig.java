package dev.wsstudy.server.core;

import java.util.List;

/**
 * Everything a server needs to know from its command line, already validated. Built by
 * {@link ServerOptions#toConfig()}; the three servers read it identically, so a benchmark difference
 * can only come from how threads meet sockets.
 *
 * @param kind               "eventloop", "threaded" or "virtualthread": shown in log lines and /stats
 * @param maxOutboxBytes     per-connection outgoing bound; see {@link Outbox}
 * @param workCpuMicros      simulated CPU work per received message (study option)
 * @param workBlockMillis    simulated blocking call per received message (study option)
 * @param coalesce           gathering writes of all queued frames (true) or one frame per write
 * @param logConnections     log one line per connection opened/closed (off by default: noise at 20k)
 * @param cluster            redis URI for cluster mode, or null
 */
public record ServerConfig(
        String kind,
        String host,
        int port,
        int maxFrameBytes,
        int maxMessageBytes,
        long maxOutboxBytes,
        long handshakeTimeoutMillis,
        long idleTimeoutMillis,
        long pingIntervalMillis,
        long closeTimeoutMillis,
        List<String> allowedOrigins,
        List<String> subprotocols,
        long workCpuMicros,
        long workBlockMillis,
        boolean coalesce,
        long acceptBackoffMillis,
        boolean logConnections,
        String cluster) {

    public ServerConfig {
        allowedOrigins = List.copyOf(allowedOrigins);
        subprotocols = List.copyOf(subprotocols);
    }

    /**
     * How often timeouts are checked (handshake, idle, ping, close): a tenth of the shortest enabled
     * timeout, clamped to [10 ms, 1 s]. Timeouts therefore fire up to 10% late, which is what
     * lets one coarse timer serve 20,000 connections.
     */
    public long tickMillis() {
        long shortest = Math.min(handshakeTimeoutMillis, closeTimeoutMillis);
        if (idleTimeoutMillis > 0) shortest = Math.min(shortest, idleTimeoutMillis);
        if (pingIntervalMillis > 0) shortest = Math.min(shortest, pingIntervalMillis);
        return Math.clamp(shortest / 10, 10, 1000);
    }
}
