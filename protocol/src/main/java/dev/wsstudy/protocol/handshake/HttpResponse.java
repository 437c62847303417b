package dev.wsstudy.protocol.handshake;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A complete non-101 HTTP answer. The session always closes the connection after it, so
 * {@link #encode()} always writes {@code Connection: close} and {@code Content-Length}.
 *
 * @param headers extra header fields in order (without Connection and Content-Length)
 */
public record HttpResponse(int status, String reason, List<Map.Entry<String, String>> headers, byte[] body) {

    public HttpResponse {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("status must be 200..599 (101 is the handshake's), was " + status);
        }
        checkFieldText(reason);
        headers = List.copyOf(headers);
        for (Map.Entry<String, String> h : headers) {
            checkFieldText(h.getKey());
            checkFieldText(h.getValue());
        }
        body = body == null ? new byte[0] : body;
    }

    /** {@code 200 OK} with the given content type and body. */
    public static HttpResponse ok(String contentType, byte[] body) {
        return new HttpResponse(200, "OK", List.of(Map.entry("Content-Type", contentType)), body);
    }

    /** A status with a short plain-text body saying {@code text}. */
    public static HttpResponse status(int code, String text) {
        return new HttpResponse(code, reasonPhrase(code), List.of(Map.entry("Content-Type", "text/plain; charset=utf-8")),
                (text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** A copy with one more header field. */
    public HttpResponse withHeader(String name, String value) {
        List<Map.Entry<String, String>> more = new ArrayList<>(headers);
        more.add(Map.entry(name, value));
        return new HttpResponse(status, reason, more, body);
    }

    /** The first value of header {@code name} (case-insensitive), or {@code null}. */
    public String header(String name) {
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase(name)) {
                return h.getValue();
            }
        }
        return null;
    }

    /** The bytes on the wire: status line, headers, Content-Length, Connection: close, body. */
    public ByteBuffer encode() {
        StringBuilder head = new StringBuilder(128);
        head.append("HTTP/1.1 ").append(status).append(' ').append(reason).append("\r\n");
        for (Map.Entry<String, String> h : headers) {
            head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\n");
        head.append("Connection: close\r\n\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer out = ByteBuffer.allocate(headBytes.length + body.length);
        out.put(headBytes).put(body).flip();
        return out.asReadOnlyBuffer();
    }

    /** The standard reason phrase for the codes this project uses. */
    public static String reasonPhrase(int code) {
        return switch (code) {
            case 200 -> "OK";
            case 204 -> "No Content";
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 426 -> "Upgrade Required";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Status " + code;
        };
    }

    /** Refuses CR, LF and other control characters so no caller can split the response. */
    private static void checkFieldText(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
                throw new IllegalArgumentException("control or non-Latin-1 character in header text: " + s);
            }
        }
    }
}
