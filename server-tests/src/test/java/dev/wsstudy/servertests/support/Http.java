package dev.wsstudy.servertests.support;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, byte for byte: the suite must be able to send malformed requests and
 * see exactly what the server answers (status line, headers, and whether it then closes), which no
 * HTTP client library allows.
 */
public final class Http {
    private static final int MAX_HEAD_BYTES = 64 * 1024;

    /**
     * How long a test waits for something the server will surely do (answer, close, deliver) when
     * no timing is being asserted. Generous on purpose: CI shares 2 cores with other builds, and a
     * server or test JVM that is not scheduled for seconds is normal there, not a failure. A
     * passing test never waits this long; only a failing one does.
     */
    public static final Duration PATIENCE = Duration.ofSeconds(30);

    private Http() {
    }

    /** A parsed response head plus the body (per Content-Length, or up to EOF). Header names are lower case. */
    public record Response(int status, String statusLine, Map<String, List<String>> headers, byte[] body) {
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : String.join(", ", values);
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return statusLine + " " + headers;
        }
    }

    public static Socket connect(int port) throws IOException {
        return connect(port, PATIENCE);
    }

    /** A socket to {@code port} whose connect and every read give up after {@code patience}. */
    public static Socket connect(int port, Duration patience) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), (int) patience.toMillis());
        socket.setSoTimeout((int) patience.toMillis());
        socket.setTcpNoDelay(true);
        return socket;
    }

    /** A plain {@code GET path}: sends the request, reads the full response. */
    public static Response get(int port, String path) throws IOException {
        return get(port, path, PATIENCE);
    }

    /** {@link #get(int, String)} giving up after {@code patience} per connect or read (a probe that retries). */
    public static Response get(int port, String path, Duration patience) throws IOException {
        return exchange(port, ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII), patience);
    }

    /** Writes {@code request} as is and reads one response with its body. */
    public static Response exchange(int port, byte[] request) throws IOException {
        return exchange(port, request, PATIENCE);
    }

    private static Response exchange(int port, byte[] request, Duration patience) throws IOException {
        try (Socket socket = connect(port, patience)) {
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            Response head = readHead(in);
            return new Response(head.status(), head.statusLine(), head.headers(), readBody(in, head));
        }
    }

    /** Reads a response head (up to and including the blank line), leaving anything after it unread. */
    public static Response readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0; // progress through "\r\n\r\n"
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed after " + head.size() + " bytes of response head: "
                        + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (head.size() > MAX_HEAD_BYTES) throw new IOException("response head over " + MAX_HEAD_BYTES + " bytes");
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String statusLine = lines[0];
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) throw new IOException("not an HTTP status line: " + statusLine);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) throw new IOException("malformed response header line: " + lines[i]);
            headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).trim());
        }
        return new Response(Integer.parseInt(parts[1]), statusLine, headers, new byte[0]);
    }

    private static byte[] readBody(InputStream in, Response head) throws IOException {
        String length = head.header("content-length");
        if (length != null) return in.readNBytes(Integer.parseInt(length));
        if (head.status() == 101 || head.status() == 204 || head.status() == 304) return new byte[0];
        return in.readAllBytes(); // no length: the body ends when the server closes
    }

    /**
     * True when the peer closes the connection (EOF or reset) within the socket's read timeout;
     * false when a byte arrives or the timeout passes first.
     */
    public static boolean closedByPeer(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read() < 0;
        } catch (java.net.SocketTimeoutException timeout) {
            return false;
        } catch (java.net.SocketException reset) {
            return true; // "Connection reset": the server closed with unread data pending
        }
    }
}
