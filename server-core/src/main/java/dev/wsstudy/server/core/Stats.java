package dev.wsstudy.server.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The counters behind {@code GET /stats}, the same names in all three servers (docs/servers.md
 * describes each). {@link LongAdder}s: many threads add, a reader sums rarely; on the event loop
 * they are uncontended and cost about as much as a plain field.
 */
public final class Stats {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public final LongAdder connectionsOpen = new LongAdder();
    public final LongAdder connectionsAccepted = new LongAdder();
    public final LongAdder handshakesRejected = new LongAdder();
    public final LongAdder protocolErrors = new LongAdder();
    public final LongAdder messagesIn = new LongAdder();
    public final LongAdder messagesOut = new LongAdder();
    public final LongAdder bytesIn = new LongAdder();
    public final LongAdder bytesOut = new LongAdder();
    public final LongAdder writeCalls = new LongAdder();
    public final LongAdder framesWritten = new LongAdder();
    public final LongAdder slowConsumersClosed = new LongAdder();
    public final LongAdder acceptPausesForFdLimit = new LongAdder();
    public final LongAdder connectionThreadsLive = new LongAdder();
    public final LongAdder threadStartFailures = new LongAdder();

    private final String kind;
    private final long startedNanos = System.nanoTime();
    private volatile LongSupplier rooms = () -> 0;
    private volatile LongSupplier clients = () -> 0;
    private volatile Supplier<Object> cluster = () -> Map.of("enabled", false);

    public Stats(String kind) {
        this.kind = kind;
    }

    /** Where the chat room counts come from (the application's registry). */
    public void registry(LongSupplier rooms, LongSupplier clients) {
        this.rooms = rooms;
        this.clients = clients;
    }

    /** The {@code cluster} object of /stats; cluster mode replaces the {@code {"enabled":false}} default. */
    public void cluster(Supplier<Object> cluster) {
        this.cluster = cluster;
    }

    /** The JDK's poller mode for virtual-thread I/O ({@code -Djdk.pollerMode=N}), or "default". */
    public static String pollerMode() {
        return System.getProperty("jdk.pollerMode", "default");
    }

    public Map<String, Object> snapshot() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("server", kind);
        m.put("jdk", Runtime.version().toString());
        m.put("pollerMode", pollerMode());
        m.put("uptimeMs", (System.nanoTime() - startedNanos) / 1_000_000);
        m.put("connectionsOpen", connectionsOpen.sum());
        m.put("connectionsAccepted", connectionsAccepted.sum());
        m.put("handshakesRejected", handshakesRejected.sum());
        m.put("protocolErrors", protocolErrors.sum());
        m.put("rooms", rooms.getAsLong());
        m.put("clients", clients.getAsLong());
        m.put("messagesIn", messagesIn.sum());
        m.put("messagesOut", messagesOut.sum());
        m.put("bytesIn", bytesIn.sum());
        m.put("bytesOut", bytesOut.sum());
        long writes = writeCalls.sum();
        long frames = framesWritten.sum();
        m.put("writeCalls", writes);
        m.put("framesWritten", frames);
        m.put("framesPerWrite", writes == 0 ? 0.0 : Math.round(100.0 * frames / writes) / 100.0);
        m.put("slowConsumersClosed", slowConsumersClosed.sum());
        m.put("acceptPausesForFdLimit", acceptPausesForFdLimit.sum());
        m.put("threadsLive", THREADS.getThreadCount());
        m.put("connectionThreadsLive", connectionThreadsLive.sum());
        m.put("threadStartFailures", threadStartFailures.sum());
        m.put("cluster", cluster.get());
        return m;
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(snapshot());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stats are plain numbers and strings", e);
        }
    }
}
