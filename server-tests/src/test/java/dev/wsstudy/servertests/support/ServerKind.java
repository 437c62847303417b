package dev.wsstudy.servertests.support;

import java.util.Arrays;
import java.util.List;

/**
 * The three servers under test. The suite is written once and every behaviour test runs against
 * each of them; only the way threads meet sockets differs between them (docs/architecture.md).
 */
public enum ServerKind {
    EVENTLOOP("eventloop-server", "eventloop"),
    THREADED("threaded-server", "threaded"),
    VIRTUALTHREAD("virtualthread-server", "virtualthread");

    /** The Maven module, whose {@code target/<module>.jar} is the runnable server. */
    public final String module;
    /** The name in the readiness line {@code wsstudy-<kind> listening on HOST:PORT} (docs/servers.md). */
    public final String logName;

    ServerKind(String module, String logName) {
        this.module = module;
        this.logName = logName;
    }

    /**
     * The kinds the suite runs against: all three, or those named in the system property
     * {@code wsstudy.servers} (comma-separated, e.g. {@code -Dwsstudy.servers=eventloop}) when
     * debugging one server.
     */
    public static List<ServerKind> underTest() {
        String only = System.getProperty("wsstudy.servers", "").trim();
        if (only.isEmpty()) return List.of(values());
        List<String> names = List.of(only.split("\\s*,\\s*"));
        return Arrays.stream(values()).filter(k -> names.contains(k.logName)).toList();
    }

    @Override
    public String toString() {
        return logName;
    }
}
