package dev.wsstudy.protocol;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The protocol limits and timeouts of one server (every session of it shares one instance).
 * Defaults are those documented in docs/servers.md. Sizes in bytes, times in nanoseconds;
 * {@code 0} turns the idle timeout and the keep-alive pings off.
 *
 * @param maxFrameBytes      a frame whose header declares more gets close 1009 (checked from the header)
 * @param maxMessageBytes    a (reassembled) message over this gets close 1009, before buffering
 * @param maxHandshakeBytes  request head limit (431 beyond)
 * @param maxHeaderCount     header line limit (431 beyond)
 * @param allowedOrigins     when not empty, an upgrade with another {@code Origin} gets 403
 * @param subprotocols       supported subprotocol names, first client-offered match is selected
 */
public record ProtocolConfig(
        int maxFrameBytes,
        int maxMessageBytes,
        int maxHandshakeBytes,
        int maxHeaderCount,
        long handshakeTimeoutNanos,
        long idleTimeoutNanos,
        long pingIntervalNanos,
        long closeTimeoutNanos,
        Set<String> allowedOrigins,
        List<String> subprotocols) {

    public ProtocolConfig {
        positive(maxFrameBytes, "maxFrameBytes");
        positive(maxMessageBytes, "maxMessageBytes");
        positive(maxHandshakeBytes, "maxHandshakeBytes");
        positive(maxHeaderCount, "maxHeaderCount");
        positive(handshakeTimeoutNanos, "handshakeTimeoutNanos");
        positive(closeTimeoutNanos, "closeTimeoutNanos");
        if (idleTimeoutNanos < 0 || pingIntervalNanos < 0) {
            throw new IllegalArgumentException("idle timeout and ping interval must be >= 0 (0 = off)");
        }
        allowedOrigins = Set.copyOf(allowedOrigins);
        subprotocols = List.copyOf(subprotocols);
    }

    private static void positive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, was " + value);
        }
    }

    public static ProtocolConfig defaults() {
        return new ProtocolConfig(
                16 * 1024 * 1024,
                16 * 1024 * 1024,
                8 * 1024,
                100,
                TimeUnit.SECONDS.toNanos(10),
                0,
                0,
                TimeUnit.SECONDS.toNanos(3),
                Set.of(),
                List.of());
    }

    public ProtocolConfig withMaxFrameBytes(int v) {
        return new ProtocolConfig(v, maxMessageBytes, maxHandshakeBytes, maxHeaderCount, handshakeTimeoutNanos,
                idleTimeoutNanos, pingIntervalNanos, closeTimeoutNanos, allowedOrigins, subprotocols);
    }

    public ProtocolConfig withMaxMessageBytes(int v) {
        return new ProtocolConfig(maxFrameBytes, v, maxHandshakeBytes, maxHeaderCount, handshakeTimeoutNanos,
                idleTimeoutNanos, pingIntervalNanos, closeTimeoutNanos, allowedOrigins, subprotocols);
    }

    public ProtocolConfig withMaxHandshakeBytes(int v) {
        return new ProtocolConfig(maxFrameBytes, maxMessageBytes, v, maxHeaderCount, handshakeTimeoutNanos,
                idleTimeoutNanos, pingIntervalNanos, closeTimeoutNanos, allowedOrigins, subprotocols);
    }

    public ProtocolConfig withMaxHeaderCount(int v) {
        return new ProtocolConfig(maxFrameBytes, maxMessageBytes, maxHandshakeBytes, v, handshakeTimeoutNanos,
                idleTimeoutNanos, pingIntervalNanos, closeTimeoutNanos, allowedOrigins, subprotocols);
    }

    public ProtocolConfig withHandshakeTimeoutNanos(long v) {
        return new ProtocolConfig(maxFrameBytes, maxMessageBytes, maxHandshakeBytes, maxHeaderCount, v,
                idleTimeoutNanos, pingIntervalNanos, closeTimeoutNanos, allowedOrigins, subprotocols);
    }

    public ProtocolConfig withIdleTimeoutNanos(long v) {
        return new ProtocolConfig(maxFrameBytes, maxMessageBytes, maxHandshakeBytes, maxHeaderCount,
                handshakeTimeoutNanos, v, pingIntervalNanos, closeTimeoutNanos, allowedOrigins, subprotocols);
    }

    public ProtocolConfig withPingIntervalNanos(long v) {
        return new ProtocolConfig(maxFrameBytes, maxMessageBytes, maxHandshakeBytes, maxHeaderCount,
                handshakeTimeoutNanos, idleTimeoutNanos, v, closeTimeoutNanos, allowedOrigins, subprotocols);
    }

    public ProtocolConfig withCloseTimeoutNanos(long v) {
        return new ProtocolConfig(maxFrameBytes, maxMessageBytes, maxHandshakeBytes, maxHeaderCount,
                handshakeTimeoutNanos, idleTimeoutNanos, pingIntervalNanos, v, allowedOrigins, subprotocols);
    }

    public ProtocolConfig withAllowedOrigins(Set<String> v) {
        return new ProtocolConfig(maxFrameBytes, maxMessageBytes, maxHandshakeBytes, maxHeaderCount,
                handshakeTimeoutNanos, idleTimeoutNanos, pingIntervalNanos, closeTimeoutNanos, v, subprotocols);
    }

    public ProtocolConfig withSubprotocols(List<String> v) {
        return new ProtocolConfig(maxFrameBytes, maxMessageBytes, maxHandshakeBytes, maxHeaderCount,
                handshakeTimeoutNanos, idleTimeoutNanos, pingIntervalNanos, closeTimeoutNanos, allowedOrigins, v);
    }
}
