package dev.wsstudy.servertests.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;

/**
 * {@code GET /stats} (docs/servers.md), and the leak check the suite runs after every stress:
 * connections, rooms and chat clients back to what they were.
 */
public final class Stats {
    public static final ObjectMapper JSON = new ObjectMapper();

    /** Field names from docs/servers.md. */
    public static final String CONNECTIONS_OPEN = "connectionsOpen";
    public static final String ROOMS = "rooms";
    public static final String CLIENTS = "clients";
    /** Times accepting paused because the open-files limit was hit. */
    public static final String ACCEPT_PAUSES = "acceptPausesForFdLimit";
    /** Connections closed (1008) or dropped because their outbox overflowed. */
    public static final String SLOW_CONSUMERS_CLOSED = "slowConsumersClosed";

    private Stats() {
    }

    public static JsonNode fetch(ServerProcess server) throws IOException {
        Http.Response r = Http.get(server.port(), "/stats");
        if (r.status() != 200) throw new AssertionError("GET /stats answered " + r);
        return JSON.readTree(r.body());
    }

    public static long field(JsonNode stats, String name) {
        JsonNode n = stats.get(name);
        if (n == null || !n.isNumber()) throw new AssertionError("/stats has no numeric field '" + name + "': " + stats);
        return n.asLong();
    }

    /**
     * Waits until {@code /stats} shows no chat client, no room, and {@code connectionsOpen} equal to
     * {@code baselineConnections} (measured the same way before the test, so the {@code /stats}
     * request's own connection cancels out). Connections are freed asynchronously after a close,
     * hence the polling.
     */
    public static JsonNode awaitNothingLeaked(ServerProcess server, long baselineConnections) throws Exception {
        return awaitNothingLeaked(server, baselineConnections, Http.PATIENCE);
    }

    public static JsonNode awaitNothingLeaked(ServerProcess server, long baselineConnections, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode s;
        while (true) {
            s = fetch(server);
            if (field(s, CONNECTIONS_OPEN) == baselineConnections && field(s, ROOMS) == 0 && field(s, CLIENTS) == 0) return s;
            if (System.nanoTime() > deadline) break;
            Thread.sleep(50);
        }
        throw new AssertionError(server.kind + ": state leaked: expected " + CONNECTIONS_OPEN + "=" + baselineConnections
                + ", " + ROOMS + "=0, " + CLIENTS + "=0 within " + timeout + ", /stats says " + s);
    }

    /** The current number of open connections, for a later {@link #awaitNothingLeaked}. */
    public static long baseline(ServerProcess server) throws IOException {
        return field(fetch(server), CONNECTIONS_OPEN);
    }
}
