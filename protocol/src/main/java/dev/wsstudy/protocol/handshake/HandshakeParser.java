package dev.wsstudy.protocol.handshake;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Incremental parser of an HTTP/1.1 request head (RFC 7230 §3): feed it whatever arrived, in any
 * pieces (one byte at a time works); it consumes bytes up to and including the blank line that ends
 * the head and leaves anything after it (the client's first frames) in the buffer.
 *
 * <p>Every byte is looked at once, and only the current line is buffered: parsing is linear in the
 * input and memory is bounded by the head limit. No regular expressions touch untrusted input.
 * Violations are reported as soon as the bytes make them certain, so garbage (e.g. a TLS
 * ClientHello) is refused at its first byte rather than after 8 KiB or a timeout:
 * <ul>
 *   <li>400: control characters, a bare CR, a method that is not a token, a malformed request line
 *       or header line, obsolete line folding (RFC 7230 §3.2.4 lets a server refuse it);</li>
 *   <li>431: more than {@code maxHeadBytes} bytes or more than {@code maxHeaderCount} header lines.</li>
 * </ul>
 * Empty lines before the request line are skipped (RFC 7230 §3.5). A bare LF ends a line like CRLF.
 *
 * <p>Not thread-safe: one connection's reader uses it, then drops it.
 */
public final class HandshakeParser {

    /** Outcome of one {@link #parse} call. */
    public enum Result { NEED_MORE, COMPLETE, REJECTED }

    private enum State { REQUEST_LINE, HEADERS, COMPLETE, REJECTED }

    private static final int MAX_METHOD_LENGTH = 24;

    /**
     * Tokens most handshakes contain, in the spellings browsers and common clients send. A field that
     * matches one byte for byte gets the shared constant instead of a new String: the same value, as
     * received, without a few dozen bytes of garbage per header and handshake.
     */
    private static final String[] COMMON = {
        "GET", "HTTP/1.1", "/", "/echo", "/chat",
        "Host", "host", "Upgrade", "upgrade", "Connection", "connection", "websocket", "Origin", "origin",
        "Sec-WebSocket-Key", "sec-websocket-key", "Sec-WebSocket-Version", "sec-websocket-version", "13",
        "Sec-WebSocket-Protocol", "sec-websocket-protocol", "Sec-WebSocket-Extensions", "sec-websocket-extensions",
        "User-Agent", "user-agent", "Pragma", "no-cache", "Cache-Control", "Accept-Encoding", "Accept-Language",
    };
    private static final byte[][] COMMON_BYTES = new byte[COMMON.length][];

    static {
        for (int i = 0; i < COMMON.length; i++) COMMON_BYTES[i] = COMMON[i].getBytes(StandardCharsets.ISO_8859_1);
    }

    private final int maxHeadBytes;
    private final int maxHeaderCount;
    private State state = State.REQUEST_LINE;
    private byte[] line = new byte[128];
    private int lineLength;
    private int headBytes;
    private boolean afterCr;
    private boolean methodDone;
    private String method;
    private String target;
    private String version;
    private final List<String> names = new ArrayList<>();
    private final List<String> values = new ArrayList<>();
    private HttpRequestHead head;
    private int rejectStatus;
    private String rejectReason;

    public HandshakeParser(int maxHeadBytes, int maxHeaderCount) {
        this.maxHeadBytes = maxHeadBytes;
        this.maxHeaderCount = maxHeaderCount;
    }

    /**
     * Consumes bytes of {@code in} up to the end of the head (or the first violation) and says
     * whether the head is complete. After COMPLETE, {@code in}'s remaining bytes follow the head.
     */
    public Result parse(ByteBuffer in) {
        while (state == State.REQUEST_LINE || state == State.HEADERS) {
            if (!in.hasRemaining()) {
                return Result.NEED_MORE;
            }
            accept(in.get());
        }
        return state == State.COMPLETE ? Result.COMPLETE : Result.REJECTED;
    }

    /** The parsed head, once {@link #parse} returned COMPLETE. */
    public HttpRequestHead head() {
        return head;
    }

    /** The HTTP status to answer with (400 or 431), once {@link #parse} returned REJECTED. */
    public int rejectStatus() {
        return rejectStatus;
    }

    /** Why the head was refused, for the answer's body and the log. */
    public String rejectReason() {
        return rejectReason;
    }

    private void accept(byte b) {
        if (++headBytes > maxHeadBytes) {
            reject(431, "request head exceeds " + maxHeadBytes + " bytes");
            return;
        }
        if (afterCr) {
            if (b != '\n') {
                reject(400, "CR not followed by LF");
                return;
            }
            afterCr = false;
            endOfLine();
            return;
        }
        if (b == '\r') {
            afterCr = true;
            return;
        }
        if (b == '\n') {
            endOfLine();
            return;
        }
        if ((b >= 0 && b < 0x20 && b != '\t') || b == 0x7f) {
            reject(400, "control character 0x" + Integer.toHexString(b) + " in request head");
            return;
        }
        if (state == State.REQUEST_LINE && !methodDone) {
            // Refuse non-HTTP input at its first byte: a method is a token (RFC 7230 §3.1.1).
            if (b == ' ' && lineLength > 0) {
                methodDone = true;
            } else if (!Tokens.isTchar(b) || lineLength >= MAX_METHOD_LENGTH) {
                reject(400, "not an HTTP request");
                return;
            }
        }
        if (lineLength == line.length) {
            line = Arrays.copyOf(line, Math.min(line.length * 2, maxHeadBytes));
        }
        line[lineLength++] = b;
    }

    private void endOfLine() {
        int length = lineLength;
        lineLength = 0;
        if (state == State.REQUEST_LINE) {
            if (length == 0) {
                return; // RFC 7230 §3.5: ignore empty lines before the request line
            }
            requestLine(length);
        } else if (length == 0) {
            head = new HttpRequestHead(method, target, version, names, values);
            state = State.COMPLETE;
            line = null; // nothing is held once the head is parsed
        } else {
            headerLine(length);
        }
    }

    private void requestLine(int length) {
        int sp1 = indexOf(' ', 0, length);
        int sp2 = sp1 < 0 ? -1 : indexOf(' ', sp1 + 1, length);
        if (sp1 <= 0 || sp2 < 0 || indexOf(' ', sp2 + 1, length) >= 0) {
            reject(400, "malformed request line");
            return;
        }
        // origin-form only (RFC 6455 §4.1: the request-target is a path and an optional query)
        if (sp2 == sp1 + 1 || line[sp1 + 1] != '/') {
            reject(400, "request target must start with /");
            return;
        }
        for (int i = sp1 + 1; i < sp2; i++) {
            if (line[i] < 0x21 || line[i] > 0x7e) {
                reject(400, "invalid character in request target");
                return;
            }
        }
        if (!isHttpVersion(sp2 + 1, length)) {
            reject(400, "malformed HTTP version");
            return;
        }
        method = latin1(0, sp1);
        target = latin1(sp1 + 1, sp2);
        version = latin1(sp2 + 1, length);
        state = State.HEADERS;
    }

    private boolean isHttpVersion(int from, int to) {
        return to - from == 8
                && line[from] == 'H' && line[from + 1] == 'T' && line[from + 2] == 'T' && line[from + 3] == 'P'
                && line[from + 4] == '/' && isDigit(line[from + 5]) && line[from + 6] == '.' && isDigit(line[from + 7]);
    }

    private void headerLine(int length) {
        if (line[0] == ' ' || line[0] == '\t') {
            reject(400, "obsolete header line folding");
            return;
        }
        if (names.size() == maxHeaderCount) {
            reject(431, "more than " + maxHeaderCount + " header lines");
            return;
        }
        int colon = indexOf(':', 0, length);
        if (colon <= 0) {
            reject(400, "header line without a name and colon");
            return;
        }
        for (int i = 0; i < colon; i++) {
            if (!Tokens.isTchar(line[i])) {
                reject(400, "invalid character in header name");
                return;
            }
        }
        int from = colon + 1;
        int to = length;
        while (from < to && (line[from] == ' ' || line[from] == '\t')) {
            from++;
        }
        while (to > from && (line[to - 1] == ' ' || line[to - 1] == '\t')) {
            to--;
        }
        names.add(latin1(0, colon));
        values.add(latin1(from, to));
    }

    private void reject(int status, String reason) {
        state = State.REJECTED;
        rejectStatus = status;
        rejectReason = reason;
        line = null;
    }

    private int indexOf(char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (line[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private String latin1(int from, int to) {
        int length = to - from;
        for (int i = 0; i < COMMON_BYTES.length; i++) {
            if (COMMON_BYTES[i].length == length && Arrays.equals(COMMON_BYTES[i], 0, length, line, from, to)) {
                return COMMON[i];
            }
        }
        return new String(line, from, length, StandardCharsets.ISO_8859_1);
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }
}
