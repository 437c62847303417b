package dev.wsstudy.protocol.handshake;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed HTTP/1.1 request head (request line and header fields, RFC 7230 §3). Immutable.
 * Header names are matched case-insensitively; values are kept as received, without the
 * surrounding optional whitespace. At most a few dozen headers exist, so lookups scan a list.
 */
public final class HttpRequestHead {
    private final String method;
    private final String target;
    private final String version;
    private final String[] names;
    private final String[] values;

    public HttpRequestHead(String method, String target, String version, List<String> names, List<String> values) {
        if (names.size() != values.size()) {
            throw new IllegalArgumentException("names and values differ in length");
        }
        this.method = method;
        this.target = target;
        this.version = version;
        this.names = names.toArray(String[]::new);
        this.values = values.toArray(String[]::new);
    }

    /** The method token, e.g. {@code GET}. */
    public String method() {
        return method;
    }

    /** The request target as sent (origin-form: path and query), e.g. {@code /chat?x=1}. */
    public String target() {
        return target;
    }

    /** The target without its query, e.g. {@code /chat}. */
    public String path() {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    /** The query without the {@code ?}, or {@code null} when there is none. */
    public String query() {
        int q = target.indexOf('?');
        return q < 0 ? null : target.substring(q + 1);
    }

    /** The protocol version, e.g. {@code HTTP/1.1}. */
    public String version() {
        return version;
    }

    /** The first value of header {@code name} (case-insensitive), or {@code null}. */
    public String header(String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                return values[i];
            }
        }
        return null;
    }

    /** Every value of header {@code name} (case-insensitive), in arrival order; empty when absent. */
    public List<String> headers(String name) {
        List<String> found = new ArrayList<>(1);
        for (int i = 0; i < names.length; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                found.add(values[i]);
            }
        }
        return found;
    }

    /** How many header lines named {@code name} (case-insensitive) the request had. */
    public int headerCount(String name) {
        int n = 0;
        for (String each : names) {
            if (each.equalsIgnoreCase(name)) {
                n++;
            }
        }
        return n;
    }

    /** How many header lines the request had. */
    public int headerCount() {
        return names.length;
    }

    /** The header name at {@code index}, in arrival order (for logging and tests). */
    public String headerName(int index) {
        return names[index];
    }

    /** The header value at {@code index}, in arrival order. */
    public String headerValue(int index) {
        return values[index];
    }

    @Override
    public String toString() {
        return method + " " + target + " " + version;
    }
}
