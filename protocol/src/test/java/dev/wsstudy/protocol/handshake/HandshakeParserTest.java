package dev.wsstudy.protocol.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 7230 §3 request heads, incremental, bounded and linear. */
class HandshakeParserTest {
    private static final String REQUEST = "GET /chat?room=1 HTTP/1.1\r\n"
            + "Host: example.com\r\n"
            + "Upgrade: websocket\r\n"
            + "X-Spaces:   padded value \t\r\n"
            + "x-multi: a\r\n"
            + "X-Multi: b\r\n"
            + "\r\n";

    private static HandshakeParser parser() {
        return new HandshakeParser(8192, 100);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void fieldsComeBackExactlyAsReceivedWhetherCommonTokensOrNot() {
        HandshakeParser p = parser();
        String request = "GET /echo HTTP/1.1\r\nhost: a\r\nHOST: b\r\nUpgrade: WebSocket\r\nupgrade: websocket\r\n"
                + "Sec-WebSocket-Version: 13\r\nsec-websocket-versio: 13x\r\n\r\n";
        assertThat(p.parse(ByteBuffer.wrap(ascii(request)))).isEqualTo(HandshakeParser.Result.COMPLETE);
        HttpRequestHead head = p.head();
        assertThat(head.method()).isEqualTo("GET");
        assertThat(head.target()).isEqualTo("/echo");
        assertThat(head.version()).isEqualTo("HTTP/1.1");
        List<String> fields = new ArrayList<>();
        for (int i = 0; i < head.headerCount(); i++) fields.add(head.headerName(i) + "=" + head.headerValue(i));
        assertThat(fields).containsExactly("host=a", "HOST=b", "Upgrade=WebSocket", "upgrade=websocket",
                "Sec-WebSocket-Version=13", "sec-websocket-versio=13x");
    }

    @Test
    void parsesRequestLineAndHeadersCaseInsensitively() {
        HandshakeParser p = parser();
        assertThat(p.parse(ByteBuffer.wrap(ascii(REQUEST)))).isEqualTo(HandshakeParser.Result.COMPLETE);
        HttpRequestHead head = p.head();
        assertThat(head.method()).isEqualTo("GET");
        assertThat(head.target()).isEqualTo("/chat?room=1");
        assertThat(head.path()).isEqualTo("/chat");
        assertThat(head.query()).isEqualTo("room=1");
        assertThat(head.version()).isEqualTo("HTTP/1.1");
        assertThat(head.header("HOST")).isEqualTo("example.com");
        assertThat(head.header("x-spaces")).isEqualTo("padded value");
        assertThat(head.headers("X-MULTI")).containsExactly("a", "b");
        assertThat(head.header("absent")).isNull();
        assertThat(head.headerCount()).isEqualTo(5);
    }

    @Test
    void requestArrivingOneByteAtATimeParsesTheSame() {
        HandshakeParser p = parser();
        byte[] bytes = ascii(REQUEST);
        for (int i = 0; i < bytes.length - 1; i++) {
            assertThat(p.parse(ByteBuffer.wrap(bytes, i, 1))).isEqualTo(HandshakeParser.Result.NEED_MORE);
        }
        assertThat(p.parse(ByteBuffer.wrap(bytes, bytes.length - 1, 1))).isEqualTo(HandshakeParser.Result.COMPLETE);
        assertThat(p.head().headers("x-multi")).containsExactly("a", "b");
    }

    @Test
    void bytesAfterTheHeadStayInTheBufferForTheFrameDecoder() {
        byte[] frames = {(byte) 0x81, (byte) 0x80, 1, 2, 3, 4};
        byte[] both = new byte[REQUEST.length() + frames.length];
        System.arraycopy(ascii(REQUEST), 0, both, 0, REQUEST.length());
        System.arraycopy(frames, 0, both, REQUEST.length(), frames.length);
        ByteBuffer in = ByteBuffer.wrap(both);
        assertThat(parser().parse(in)).isEqualTo(HandshakeParser.Result.COMPLETE);
        assertThat(in.position()).isEqualTo(REQUEST.length());
        assertThat(in.remaining()).isEqualTo(frames.length);
    }

    @Test
    void bareLineFeedsEndLinesAndLeadingEmptyLinesAreSkipped() {
        HandshakeParser p = parser();
        assertThat(p.parse(ByteBuffer.wrap(ascii("\r\n\nGET / HTTP/1.1\nHost: a\n\n")))).isEqualTo(HandshakeParser.Result.COMPLETE);
        assertThat(p.head().header("host")).isEqualTo("a");
    }

    private static void assertRejected(String input, int status) {
        HandshakeParser p = parser();
        assertThat(p.parse(ByteBuffer.wrap(ascii(input)))).as(input).isEqualTo(HandshakeParser.Result.REJECTED);
        assertThat(p.rejectStatus()).as(input).isEqualTo(status);
        assertThat(p.rejectReason()).isNotBlank();
    }

    @Test
    void malformedRequestLinesAre400() {
        assertRejected("GET\r\n\r\n", 400);
        assertRejected("GET /\r\n\r\n", 400);
        assertRejected("GET  / HTTP/1.1\r\n\r\n", 400);
        assertRejected("GET / HTTP/1.1 extra\r\n\r\n", 400);
        assertRejected("GET http://example.com/ HTTP/1.1\r\n\r\n", 400); // origin-form only
        assertRejected("GET / HTTP/11\r\n\r\n", 400);
        assertRejected("GET / http/1.1\r\n\r\n", 400);
        assertRejected("GET /\u00e9 HTTP/1.1\r\n\r\n", 400);
    }

    @Test
    void malformedHeaderLinesAre400() {
        assertRejected("GET / HTTP/1.1\r\nNoColon\r\n\r\n", 400);
        assertRejected("GET / HTTP/1.1\r\n: empty name\r\n\r\n", 400);
        assertRejected("GET / HTTP/1.1\r\nName : space before colon\r\n\r\n", 400);
        assertRejected("GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", 400); // obs-fold, RFC 7230 3.2.4
        assertRejected("GET / HTTP/1.1\r\nHost: a\u0000b\r\n\r\n", 400);
        assertRejected("GET / HTTP/1.1\rHost: a\r\n\r\n", 400); // bare CR
    }

    @Test
    void nonHttpInputIsRefusedAtItsFirstByte() {
        // a TLS ClientHello starts with 0x16 0x03: refused before any more bytes arrive
        HandshakeParser p = parser();
        ByteBuffer in = ByteBuffer.wrap(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00});
        assertThat(p.parse(in)).isEqualTo(HandshakeParser.Result.REJECTED);
        assertThat(p.rejectStatus()).isEqualTo(400);
        assertThat(in.position()).isEqualTo(1);
    }

    @Test
    void overlongMethodIsRefusedEarly() {
        HandshakeParser p = parser();
        ByteBuffer in = ByteBuffer.wrap(ascii("A".repeat(1000)));
        assertThat(p.parse(in)).isEqualTo(HandshakeParser.Result.REJECTED);
        assertThat(in.position()).isLessThan(30);
    }

    @Test
    void headOverTheByteLimitIs431AtTheFirstByteBeyondIt() {
        HandshakeParser p = new HandshakeParser(8192, 100);
        String start = "GET / HTTP/1.1\r\nX-Long: ";
        ByteBuffer in = ByteBuffer.wrap(ascii(start + "a".repeat(20_000) + "\r\n\r\n"));
        assertThat(p.parse(in)).isEqualTo(HandshakeParser.Result.REJECTED);
        assertThat(p.rejectStatus()).isEqualTo(431);
        assertThat(in.position()).isEqualTo(8193); // stopped reading right there
    }

    @Test
    void headExactlyAtTheByteLimitIsAccepted() {
        String start = "GET / HTTP/1.1\r\nX: ";
        String end = "\r\n\r\n";
        String request = start + "a".repeat(8192 - start.length() - end.length()) + end;
        assertThat(request).hasSize(8192);
        assertThat(parser().parse(ByteBuffer.wrap(ascii(request)))).isEqualTo(HandshakeParser.Result.COMPLETE);
    }

    @Test
    void thousandsOfHeaderLinesAre431AfterTheLimitWithoutReadingThemAll() {
        StringBuilder s = new StringBuilder("GET / HTTP/1.1\r\n");
        for (int i = 0; i < 5000; i++) {
            s.append("A:\r\n");
        }
        s.append("\r\n");
        HandshakeParser p = new HandshakeParser(1 << 20, 100);
        ByteBuffer in = ByteBuffer.wrap(ascii(s.toString()));
        assertThat(p.parse(in)).isEqualTo(HandshakeParser.Result.REJECTED);
        assertThat(p.rejectStatus()).isEqualTo(431);
        assertThat(in.position()).isEqualTo("GET / HTTP/1.1\r\n".length() + 101 * 4);
    }

    @Test
    void exactly100HeadersAreAccepted() {
        StringBuilder s = new StringBuilder("GET / HTTP/1.1\r\n");
        for (int i = 0; i < 100; i++) {
            s.append("H").append(i).append(": v\r\n");
        }
        s.append("\r\n");
        assertThat(parser().parse(ByteBuffer.wrap(ascii(s.toString())))).isEqualTo(HandshakeParser.Result.COMPLETE);
    }

    @Test
    void parserHoldsNoLineBufferOnceComplete() throws Exception {
        HandshakeParser p = parser();
        p.parse(ByteBuffer.wrap(ascii(REQUEST)));
        var field = HandshakeParser.class.getDeclaredField("line");
        field.setAccessible(true);
        assertThat(field.get(p)).isNull();
    }
}
