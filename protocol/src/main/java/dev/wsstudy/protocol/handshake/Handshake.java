package dev.wsstudy.protocol.handshake;

import dev.wsstudy.protocol.ProtocolConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The server's side of the opening handshake (RFC 6455 §4.2): decides, for a complete request
 * head, between upgrading, refusing with a status, or handing the request to plain HTTP.
 *
 * <p>Checks, in this order (the first failing one answers):
 * <ol>
 *   <li>method GET, else 405 (every request: the servers serve only GET);</li>
 *   <li>a request that neither names a WebSocket path nor asks for WebSocket ({@code Upgrade}
 *       listing {@code websocket}, or a {@code Sec-WebSocket-Key}) is plain HTTP
 *       ({@link Outcome.Plain}), whatever other upgrade it offers (RFC 7230 §6.7);</li>
 *   <li>a WebSocket endpoint at the path, else 404;</li>
 *   <li>HTTP/1.1 or newer 1.x (§4.1), exactly one non-empty {@code Host} without whitespace,
 *       {@code Upgrade} listing {@code websocket}, {@code Connection} listing {@code Upgrade}
 *       (token lists, case-insensitive), else 400;</li>
 *   <li>{@code Sec-WebSocket-Version: 13} once, else 426 with {@code Sec-WebSocket-Version: 13} (§4.2.2);</li>
 *   <li>exactly one {@code Sec-WebSocket-Key}: base64 of 16 bytes (24 characters), else 400;</li>
 *   <li>when origins are configured, an {@code Origin} header must be one of them, else 403
 *       (a request without {@code Origin} does not come from a browser and is allowed, §10.2).</li>
 * </ol>
 */
public final class Handshake {

    /** RFC 6455 §1.3: the GUID appended to the client's key. */
    public static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /** What to do with a request head. */
    public sealed interface Outcome {
        /** Upgrade: send {@code response} (the 101), then speak WebSocket. */
        record Upgrade(ByteBuffer response, String subprotocol) implements Outcome { }

        /** Not a WebSocket request: let the plain HTTP routes answer. */
        record Plain() implements Outcome { }

        /** Refuse with {@code response}; {@code why} is for logs. */
        record Reject(HttpResponse response, String why) implements Outcome { }
    }

    private Handshake() {
    }

    private static final byte[] GUID_BYTES = GUID.getBytes(StandardCharsets.ISO_8859_1);
    /** The 101 answer up to the accept value (§4.2.2 step 5). */
    private static final byte[] UPGRADE_HEAD = ("HTTP/1.1 101 Switching Protocols\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: ").getBytes(StandardCharsets.ISO_8859_1);
    /**
     * Never used itself, only cloned: {@code MessageDigest.getInstance} per handshake looks the
     * provider up each time, which allocates several times the digest's own state and leaves a
     * lookup cache in a thread-local of every connection thread that calls it.
     */
    private static final MessageDigest SHA1_PROTOTYPE = newSha1();

    /** {@code Sec-WebSocket-Accept} for a client key (§4.2.2 step 5.4): base64(SHA-1(key + GUID)). */
    public static String acceptKey(String key) {
        return new String(acceptKeyBytes(key), StandardCharsets.ISO_8859_1);
    }

    private static byte[] acceptKeyBytes(String key) {
        MessageDigest sha1 = sha1();
        byte[] k = new byte[key.length()];
        for (int i = 0; i < k.length; i++) k[i] = (byte) key.charAt(i); // the parser made it from ISO-8859-1 bytes
        sha1.update(k);
        sha1.update(GUID_BYTES);
        return Base64.getEncoder().encode(sha1.digest());
    }

    private static MessageDigest sha1() {
        try {
            return (MessageDigest) SHA1_PROTOTYPE.clone(); // reads the untouched prototype only: safe from any thread
        } catch (CloneNotSupportedException e) {
            return newSha1();
        }
    }

    private static MessageDigest newSha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    /**
     * Decides what to do with {@code head}. {@code isEndpoint} says whether a path has a
     * WebSocket endpoint.
     */
    public static Outcome evaluate(HttpRequestHead head, ProtocolConfig config, Predicate<String> isEndpoint) {
        if (!head.method().equals("GET")) {
            return reject(HttpResponse.status(405, "only GET is served").withHeader("Allow", "GET"),
                    "method " + head.method());
        }
        boolean endpoint = isEndpoint.test(head.path());
        boolean asksForWebSocket = anyListContains(head, "Upgrade", "websocket")
                || head.header("Sec-WebSocket-Key") != null;
        if (!endpoint && !asksForWebSocket) {
            // Other upgrade offers (e.g. the JDK client's "Upgrade: h2c") may be ignored (RFC 7230 6.7).
            return new Outcome.Plain();
        }
        if (!endpoint) {
            return reject(404, "no WebSocket endpoint at " + head.path());
        }
        String version = head.version();
        if (version.length() != 8 || !version.startsWith("HTTP/1.") || version.charAt(7) < '1') {
            return reject(400, "WebSocket needs HTTP/1.1, got " + head.version());
        }
        // Counts and first values rather than lists: no garbage per accepted handshake.
        String host = head.header("Host");
        if (head.headerCount("Host") != 1 || host.isEmpty() || hasWhitespace(host)) {
            return reject(400, "missing or bad Host header");
        }
        if (!anyListContains(head, "Upgrade", "websocket")) {
            return reject(400, "Upgrade header must list websocket");
        }
        if (!anyListContains(head, "Connection", "Upgrade")) {
            return reject(400, "Connection header must list Upgrade");
        }
        if (head.headerCount("Sec-WebSocket-Version") != 1 || !head.header("Sec-WebSocket-Version").equals("13")) {
            return reject(HttpResponse.status(426, "Sec-WebSocket-Version must be 13")
                    .withHeader("Sec-WebSocket-Version", "13"), "Sec-WebSocket-Version " + head.headers("Sec-WebSocket-Version"));
        }
        String key = head.header("Sec-WebSocket-Key");
        if (head.headerCount("Sec-WebSocket-Key") != 1 || !isValidKey(key)) {
            return reject(400, "Sec-WebSocket-Key must be base64 of 16 bytes, once");
        }
        if (!config.allowedOrigins().isEmpty()) {
            for (String origin : head.headers("Origin")) {
                if (!isAllowedOrigin(origin, config)) {
                    return reject(403, "origin not allowed: " + origin);
                }
            }
        }
        String subprotocol = selectSubprotocol(head, config.subprotocols());
        return new Outcome.Upgrade(switchingProtocols(key, subprotocol), subprotocol);
    }

    /** §4.1: the key is base64 of a random 16-byte nonce, which is always 24 characters ending in ==. */
    static boolean isValidKey(String key) {
        if (key.length() != 24 || !key.endsWith("==")) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
    }

    /** The first subprotocol the client offers (§4.2.2 step 5.4) that the server supports, or null. */
    static String selectSubprotocol(HttpRequestHead head, List<String> supported) {
        if (supported.isEmpty()) {
            return null;
        }
        List<String> offered = new ArrayList<>();
        for (String value : head.headers("Sec-WebSocket-Protocol")) {
            Tokens.splitList(value, offered);
        }
        for (String name : offered) {
            if (supported.contains(name)) {
                return name;
            }
        }
        return null;
    }

    /** The 101 answer, written straight into the one array that goes out. */
    private static ByteBuffer switchingProtocols(String key, String subprotocol) {
        byte[] accept = acceptKeyBytes(key);
        byte[] protocol = subprotocol == null ? new byte[0]
                : ("Sec-WebSocket-Protocol: " + subprotocol + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[UPGRADE_HEAD.length + accept.length + 2 + protocol.length + 2];
        int at = 0;
        System.arraycopy(UPGRADE_HEAD, 0, out, at, UPGRADE_HEAD.length);
        at += UPGRADE_HEAD.length;
        System.arraycopy(accept, 0, out, at, accept.length);
        at += accept.length;
        out[at++] = '\r';
        out[at++] = '\n';
        System.arraycopy(protocol, 0, out, at, protocol.length);
        at += protocol.length;
        out[at++] = '\r';
        out[at] = '\n';
        return ByteBuffer.wrap(out).asReadOnlyBuffer();
    }

    private static boolean isAllowedOrigin(String origin, ProtocolConfig config) {
        String lower = origin.toLowerCase(Locale.ROOT);
        for (String allowed : config.allowedOrigins()) {
            if (allowed.toLowerCase(Locale.ROOT).equals(lower)) {
                return true;
            }
        }
        return false;
    }

    private static boolean anyListContains(HttpRequestHead head, String name, String token) {
        for (int i = 0; i < head.headerCount(); i++) {
            if (head.headerName(i).equalsIgnoreCase(name) && Tokens.listContains(head.headerValue(i), token)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == ' ' || s.charAt(i) == '\t') {
                return true;
            }
        }
        return false;
    }

    private static Outcome reject(int status, String why) {
        return reject(HttpResponse.status(status, HttpResponse.reasonPhrase(status) + ": " + why), why);
    }

    private static Outcome reject(HttpResponse response, String why) {
        return new Outcome.Reject(response, why);
    }
}
