package dev.wsstudy.servertests.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsstudy.servertests.support.Http;
import dev.wsstudy.servertests.support.RawWs;
import dev.wsstudy.servertests.support.ServerKind;
import dev.wsstudy.servertests.support.ServerProcess;
import dev.wsstudy.servertests.support.Stats;
import dev.wsstudy.servertests.support.WsFrames;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The opening handshake and plain HTTP answers (RFC 6455 §4.2, docs/wire-protocol.md "HTTP"), over TCP. */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.wsstudy.servertests.support.ServerKind#underTest")
class HandshakeTest {
    @Parameter
    ServerKind kind;
    static ServerProcess server;

    @BeforeParameterizedClassInvocation
    static void start(ServerKind kind) {
        server = ServerProcess.shared(kind);
    }

    @AfterEach
    void nothingLeaked() throws Exception {
        Stats.awaitNothingLeaked(server, server.idleConnections());
    }

    static String upgrade(String path, String... extraHeaderLines) {
        StringBuilder b = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n");
        boolean versionGiven = false;
        for (String h : extraHeaderLines) {
            b.append(h).append("\r\n");
            versionGiven |= h.startsWith("Sec-WebSocket-Version");
        }
        if (!versionGiven) b.append("Sec-WebSocket-Version: 13\r\n");
        return b.append("\r\n").toString();
    }

    /** Sends {@code request}, expects {@code status} with {@code Connection: close}, then the server closing TCP. */
    static Http.Response expectRefusal(int port, byte[] request, int status) throws Exception {
        try (Socket socket = Http.connect(port)) {
            socket.getOutputStream().write(request);
            InputStream in = socket.getInputStream();
            Http.Response r = Http.readHead(in);
            assertThat(r.status()).as("status for %s", printable(request)).isEqualTo(status);
            assertThat(r.header("connection")).as("Connection header of a non-101 answer").containsIgnoringCase("close");
            String length = r.header("content-length");
            if (length != null) in.readNBytes(Integer.parseInt(length));
            assertThat(Http.closedByPeer(socket)).as("server closes the connection after a %d", status).isTrue();
            return r;
        }
    }

    static String printable(byte[] request) {
        String s = new String(request, 0, Math.min(request.length, 120), StandardCharsets.ISO_8859_1);
        return s.replace("\r\n", "\\r\\n");
    }

    @Test
    void readinessLineNamesTheServerKind() {
        // docs/servers.md: "wsstudy-<kind> listening on HOST:PORT"; ServerProcess parsed <kind> from it.
        assertThat(server.logName()).isEqualTo(kind.logName);
        assertThat(server.host()).isEqualTo("127.0.0.1");
    }

    @Test
    void upgradeAnswers101WithTheRfcAcceptKey() throws Exception {
        // RFC 6455 §1.3's own example: key "dGhlIHNhbXBsZSBub25jZQ==" → accept "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=".
        assertThat(WsFrames.acceptFor("dGhlIHNhbXBsZSBub25jZQ==")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        try (Socket socket = Http.connect(server.port())) {
            socket.getOutputStream().write(upgrade("/echo").getBytes(StandardCharsets.US_ASCII));
            Http.Response r = Http.readHead(socket.getInputStream());
            assertThat(r.status()).isEqualTo(101);
            assertThat(r.header("sec-websocket-accept")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
            assertThat(r.header("upgrade")).isEqualToIgnoringCase("websocket");
            assertThat(r.header("connection")).containsIgnoringCase("upgrade");
            assertThat(r.header("sec-websocket-protocol")).as("no subprotocol is selected by default").isNull();
        }
        try (RawWs ws = RawWs.open(server.port(), "/chat")) {
            assertThat(ws.handshake.status()).isEqualTo(101);
        }
    }

    @Test
    void upgradeArrivingOneByteAtATimeSucceeds() throws Exception {
        try (Socket socket = Http.connect(server.port())) {
            byte[] request = upgrade("/echo").getBytes(StandardCharsets.US_ASCII);
            for (byte b : request) {
                socket.getOutputStream().write(b);
                socket.getOutputStream().flush();
            }
            assertThat(Http.readHead(socket.getInputStream()).status()).isEqualTo(101);
        }
    }

    @Test
    void upgradeWithFramesRightBehindTheHeadEchoesThem() throws Exception {
        // The first frame may arrive in the same read as the request head (RFC 6455 §4.1 allows sending at once).
        try (Socket socket = Http.connect(server.port())) {
            byte[] head = upgrade("/echo").getBytes(StandardCharsets.US_ASCII);
            byte[] frame = WsFrames.frame(WsFrames.TEXT, "right behind".getBytes(StandardCharsets.UTF_8));
            byte[] both = new byte[head.length + frame.length];
            System.arraycopy(head, 0, both, 0, head.length);
            System.arraycopy(frame, 0, both, head.length, frame.length);
            socket.getOutputStream().write(both);
            InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
            assertThat(Http.readHead(in).status()).isEqualTo(101);
            assertThat(WsFrames.read(in).text()).isEqualTo("right behind");
        }
    }

    static Stream<Arguments> malformedUpgrades() {
        String key = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
        String v13 = "Sec-WebSocket-Version: 13\r\n";
        return Stream.of(
                Arguments.of("no Sec-WebSocket-Key", "GET /echo HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" + v13 + "\r\n"),
                Arguments.of("key not 16 bytes", "GET /echo HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: c2hvcnQ=\r\n" + v13 + "\r\n"),
                Arguments.of("key not base64", "GET /echo HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: !!!!!!!!!!!!!!!!!!!!!!==\r\n" + v13 + "\r\n"),
                Arguments.of("no Host", "GET /echo HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" + key + v13 + "\r\n"),
                Arguments.of("no Upgrade", "GET /echo HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\n" + key + v13 + "\r\n"),
                Arguments.of("Upgrade not websocket", "GET /echo HTTP/1.1\r\nHost: h\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n" + key + v13 + "\r\n"),
                Arguments.of("Connection without upgrade token", "GET /echo HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: keep-alive\r\n" + key + v13 + "\r\n"),
                Arguments.of("HTTP/1.0", "GET /echo HTTP/1.0\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" + key + v13 + "\r\n"),
                Arguments.of("malformed request line", "GET\r\nHost: h\r\n\r\n"),
                Arguments.of("absolute URL as target", "GET http://h/echo HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" + key + v13 + "\r\n"),
                Arguments.of("key given twice", "GET /echo HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" + key + key + v13 + "\r\n"),
                Arguments.of("obsolete line folding", "GET /echo HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection:\r\n Upgrade\r\n" + key + v13 + "\r\n"),
                Arguments.of("plain GET of a WebSocket path", "GET /echo HTTP/1.1\r\nHost: h\r\n\r\n"),
                Arguments.of("header line without colon", "GET /echo HTTP/1.1\r\nHost: h\r\nUpgrade websocket\r\nConnection: Upgrade\r\n" + key + v13 + "\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedUpgrades")
    void malformedUpgradeGets400AndClose(String name, String request) throws Exception {
        expectRefusal(server.port(), request.getBytes(StandardCharsets.ISO_8859_1), 400);
    }

    @Test
    void upgradeTokensAreCaseInsensitiveLists() throws Exception {
        // RFC 6455 §4.2.1: Connection is a token list ("keep-alive, Upgrade"), values case-insensitive.
        String request = "GET /echo HTTP/1.1\r\nhost: h\r\nupgrade: WebSocket\r\nconnection: keep-alive, upgrade\r\n"
                + "sec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\nsec-websocket-version: 13\r\n\r\n";
        try (Socket socket = Http.connect(server.port())) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            assertThat(Http.readHead(socket.getInputStream()).status()).isEqualTo(101);
        }
    }

    @Test
    void bareLineFeedsAndLeadingEmptyLinesAreAccepted() throws Exception {
        // docs/wire-protocol.md: a bare LF ends a line like CRLF; empty lines before the request line are skipped.
        String request = "\r\n\nGET /echo HTTP/1.1\nHost: h\nUpgrade: websocket\nConnection: Upgrade\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\nSec-WebSocket-Version: 13\n\n";
        try (Socket socket = Http.connect(server.port())) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            assertThat(Http.readHead(socket.getInputStream()).status()).isEqualTo(101);
        }
    }

    @Test
    void unknownPathGets404() throws Exception {
        expectRefusal(server.port(), upgrade("/nowhere").getBytes(StandardCharsets.US_ASCII), 404);
        expectRefusal(server.port(), "GET /nowhere HTTP/1.1\r\nHost: h\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 404);
    }

    @Test
    void methodOtherThanGetGets405WithAllowGet() throws Exception {
        Http.Response r = expectRefusal(server.port(), upgrade("/echo").replaceFirst("GET", "POST").getBytes(StandardCharsets.US_ASCII), 405);
        assertThat(r.header("allow")).isEqualTo("GET");
        r = expectRefusal(server.port(), "DELETE /stats HTTP/1.1\r\nHost: h\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 405);
        assertThat(r.header("allow")).isEqualTo("GET");
    }

    @Test
    void missingOrUnsupportedVersionGets426WithVersion13() throws Exception {
        Http.Response r = expectRefusal(server.port(),
                upgrade("/echo", "Sec-WebSocket-Version: 8").getBytes(StandardCharsets.US_ASCII), 426);
        assertThat(r.header("sec-websocket-version")).isEqualTo("13");
        String noVersion = upgrade("/echo").replace("Sec-WebSocket-Version: 13\r\n", "");
        r = expectRefusal(server.port(), noVersion.getBytes(StandardCharsets.US_ASCII), 426);
        assertThat(r.header("sec-websocket-version")).isEqualTo("13");
    }

    @Test
    void headOverEightKibGets431() throws Exception {
        String big = "X-Filler: " + "a".repeat(9 * 1024);
        expectRefusal(server.port(), upgrade("/echo", big).getBytes(StandardCharsets.US_ASCII), 431);
    }

    @Test
    void moreThanHundredHeaderLinesGets431() throws Exception {
        String[] many = new String[101];
        for (int i = 0; i < many.length; i++) many[i] = "X-H" + i + ": v";
        expectRefusal(server.port(), upgrade("/echo", many).getBytes(StandardCharsets.US_ASCII), 431);
    }

    @Test
    void healthAnswers200Ok() throws Exception {
        Http.Response r = Http.get(server.port(), "/health");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText().trim()).isEqualTo("ok");
    }

    @Test
    void statsAnswersJsonCounters() throws Exception {
        JsonNode s = Stats.fetch(server);
        for (String field : new String[] {Stats.CONNECTIONS_OPEN, Stats.ROOMS, Stats.CLIENTS}) {
            assertThat(Stats.field(s, field)).as(field).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void rootServesTheDemoPage() throws Exception {
        Http.Response r = Http.get(server.port(), "/");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("content-type")).startsWith("text/html");
        assertThat(r.bodyText()).contains("WebSocket");
    }
}
