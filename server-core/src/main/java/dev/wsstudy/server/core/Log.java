package dev.wsstudy.server.core;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The one log format of all three servers, one event per line on stdout:
 * <pre>2026-11-27T21:00:00.123Z INFO  eventloop connection-closed remote=127.0.0.1:50412 code=1000</pre>
 * timestamp (UTC, milliseconds), level, server kind, an event name from the fixed list below, then
 * {@code key=value} fields. The event names are the same in every server, so one grep or one test
 * works for all three.
 *
 * <p>The list of events is in docs/servers.md ("Log lines").
 *
 * <p>Why not a logging framework: a server under study should not hide costs (async appenders,
 * pattern caches) behind configuration; one {@code println} per event is visible and cheap enough
 * for events that are not per message. {@link PrintStream} uses an internal lock, not a monitor,
 * on JDK 21+, so logging never pins a virtual thread.
 */
public final class Log {

    public enum Level { DEBUG, INFO, WARN, ERROR }

    /** Always three fraction digits (Instant.toString drops them on whole seconds). */
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final String kind;
    private final PrintStream out;

    public Log(String kind) {
        this(kind, System.out);
    }

    public Log(String kind, PrintStream out) {
        this.kind = kind;
        this.out = out;
    }

    public String kind() {
        return kind;
    }

    public void info(String event, Object... keyValues) {
        log(Level.INFO, event, keyValues);
    }

    public void warn(String event, Object... keyValues) {
        log(Level.WARN, event, keyValues);
    }

    public void error(String event, Object... keyValues) {
        log(Level.ERROR, event, keyValues);
    }

    /** Writes one line; {@code keyValues} alternate key, value. Values with spaces are quoted. */
    public void log(Level level, String event, Object... keyValues) {
        out.println(format(Instant.now(), level, event, keyValues));
    }

    String format(Instant when, Level level, String event, Object... keyValues) {
        StringBuilder line = new StringBuilder(96);
        TIME.formatTo(when, line);
        line.append(' ');
        String name = level.name();
        line.append(name).append(" ".repeat(6 - name.length()));
        line.append(kind).append(' ').append(event);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            line.append(' ').append(keyValues[i]).append('=');
            appendValue(line, String.valueOf(keyValues[i + 1]));
        }
        return line.toString();
    }

    private static void appendValue(StringBuilder line, String value) {
        boolean plain = !value.isEmpty();
        for (int i = 0; i < value.length() && plain; i++) {
            char c = value.charAt(i);
            plain = c > ' ' && c != '"' && c != '=' && c < 127;
        }
        if (plain) {
            line.append(value);
            return;
        }
        line.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') line.append('\\').append(c);
            else if (c < ' ') line.append(' ');
            else line.append(c);
        }
        line.append('"');
    }
}
