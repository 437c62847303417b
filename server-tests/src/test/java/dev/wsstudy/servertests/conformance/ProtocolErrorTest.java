package dev.wsstudy.servertests.conformance;

import static dev.wsstudy.servertests.support.WsFrames.BINARY;
import static dev.wsstudy.servertests.support.WsFrames.CLOSE;
import static dev.wsstudy.servertests.support.WsFrames.CONTINUATION;
import static dev.wsstudy.servertests.support.WsFrames.PING;
import static dev.wsstudy.servertests.support.WsFrames.PONG;
import static dev.wsstudy.servertests.support.WsFrames.TEXT;
import static dev.wsstudy.servertests.support.WsFrames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wsstudy.servertests.support.Http;
import dev.wsstudy.servertests.support.RawWs;
import dev.wsstudy.servertests.support.ServerKind;
import dev.wsstudy.servertests.support.ServerProcess;
import dev.wsstudy.servertests.support.Stats;
import dev.wsstudy.servertests.support.WsFrames;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Frames a server must refuse, and the close code it must refuse them with (RFC 6455 §5, §7.4.1,
 * §8.1; docs/wire-protocol.md "Close codes"). Each case: the server sends that close frame, and
 * closes TCP after the client's answer. Server started with default limits (16 MiB).
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.wsstudy.servertests.support.ServerKind#underTest")
class ProtocolErrorTest {
    static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

    @Parameter
    ServerKind kind;
    static ServerProcess server;
    static long baseline;

    @BeforeParameterizedClassInvocation
    static void start(ServerKind kind) throws Exception {
        server = ServerProcess.shared(kind);
        baseline = server.idleConnections();
    }

    @AfterEach
    void nothingLeakedAndServerStillEchoes() throws Exception {
        Stats.awaitNothingLeaked(server, baseline);
        try (RawWs ws = RawWs.open(server.port(), "/echo")) {
            ws.sendText("still here");
            assertThat(ws.readText()).isEqualTo("still here");
        }
    }

    static void expectCloseAfter(int code, byte[]... frames) throws Exception {
        try (RawWs ws = RawWs.open(server.port(), "/echo")) {
            for (byte[] f : frames) ws.send(f);
            ws.expectClose(code);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void unmaskedClientFrameIsClosedWith1002() throws Exception {
        // RFC 6455 §5.1: a server MUST close the connection upon receiving an unmasked frame.
        expectCloseAfter(1002, frame(true, 0, TEXT, false, utf8("naked")));
    }

    @ParameterizedTest(name = "rsv={0}")
    @ValueSource(ints = {1, 2, 4, 7})
    void rsvBitsWithoutExtensionAreClosedWith1002(int rsv) throws Exception {
        // RFC 6455 §5.2: RSV1-3 MUST be 0 unless an extension defining them was negotiated (none is).
        expectCloseAfter(1002, frame(true, rsv, TEXT, true, utf8("rsv")));
    }

    @ParameterizedTest(name = "opcode={0}")
    @ValueSource(ints = {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF})
    void reservedOpcodeIsClosedWith1002(int opcode) throws Exception {
        expectCloseAfter(1002, frame(true, 0, opcode, true, utf8("x")));
    }

    @Test
    void controlFrameOver125BytesIsClosedWith1002() throws Exception {
        // RFC 6455 §5.5: all control frames MUST have a payload length of 125 bytes or less.
        expectCloseAfter(1002, frame(true, 0, PING, true, new byte[126]));
    }

    @Test
    void fragmentedControlFrameIsClosedWith1002() throws Exception {
        // RFC 6455 §5.5: control frames MUST NOT be fragmented.
        expectCloseAfter(1002, frame(false, 0, PING, true, utf8("half")));
    }

    @Test
    void fragmentedPongIsClosedWith1002() throws Exception {
        expectCloseAfter(1002, frame(false, 0, PONG, true, utf8("half")));
    }

    @Test
    void continuationWithoutStartIsClosedWith1002() throws Exception {
        expectCloseAfter(1002, frame(true, 0, CONTINUATION, true, utf8("orphan")));
    }

    @Test
    void newDataFrameInsideFragmentedMessageIsClosedWith1002() throws Exception {
        expectCloseAfter(1002, frame(false, 0, TEXT, true, utf8("first ")), frame(true, 0, BINARY, true, utf8("intruder")));
    }

    @Test
    void sixtyFourBitLengthWithTopBitSetIsClosedWith1002() throws Exception {
        // RFC 6455 §5.2: "the most significant bit MUST be 0" in the 64-bit length.
        byte[] header = WsFrames.header(true, 0, BINARY, true, Long.MIN_VALUE | 5);
        expectCloseAfter(1002, concat(header, new byte[] {1, 2, 3, 4}));
    }

    @Test
    void lengthNotInShortestFormIsClosedWith1002() throws Exception {
        // RFC 6455 §5.2: "the minimal number of bytes MUST be used to encode the length".
        byte[] sixteenBitForFive = {(byte) 0x82, (byte) (0x80 | 126), 0, 5, 0, 0, 0, 0, 1, 2, 3, 4, 5};
        expectCloseAfter(1002, sixteenBitForFive);
        byte[] sixtyFourBitFor200 = concat(new byte[] {(byte) 0x82, (byte) (0x80 | 127), 0, 0, 0, 0, 0, 0, 0, (byte) 200, 0, 0, 0, 0}, new byte[200]);
        expectCloseAfter(1002, sixtyFourBitFor200);
    }

    @Test
    void invalidUtf8TextIsClosedWith1007() throws Exception {
        expectCloseAfter(1007, frame(TEXT, new byte[] {'o', 'k', (byte) 0xC3, (byte) 0x28}));
    }

    @Test
    void overlongAndSurrogateEncodingsAreClosedWith1007() throws Exception {
        // RFC 3629 §3: overlong forms and UTF-16 surrogates (ED A0 80) are not valid UTF-8.
        expectCloseAfter(1007, frame(TEXT, new byte[] {(byte) 0xC0, (byte) 0xAF}));
        expectCloseAfter(1007, frame(TEXT, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}));
    }

    @Test
    void invalidUtf8SplitMidCodepointAcrossFragmentsIsClosedWith1007() throws Exception {
        // "€" is E2 82 AC: start it in one fragment, break it in the next.
        expectCloseAfter(1007,
                frame(false, 0, TEXT, true, new byte[] {'a', (byte) 0xE2, (byte) 0x82}),
                frame(true, 0, CONTINUATION, true, new byte[] {'(', 'b'}));
    }

    @Test
    void invalidUtf8IsRefusedBeforeTheMessageEnds() throws Exception {
        // Incremental validation: the first fragment can no longer be valid, so the server fails the
        // connection at once instead of waiting for a final fragment that never comes (RFC 6455 §8.1).
        expectCloseAfter(1007, frame(false, 0, TEXT, true, new byte[] {'a', (byte) 0xFF}));
    }

    @Test
    void truncatedCodepointAtMessageEndIsClosedWith1007() throws Exception {
        expectCloseAfter(1007, frame(false, 0, TEXT, true, utf8("ok")), frame(true, 0, CONTINUATION, true, new byte[] {(byte) 0xE2, (byte) 0x82}));
    }

    @Test
    void frameOverMaxFrameBytesIsClosedWith1009FromTheHeaderAlone() throws Exception {
        // Only the header is sent: the server must decide from the length field, before any payload.
        byte[] header = WsFrames.header(true, 0, BINARY, true, DEFAULT_MAX_FRAME_BYTES + 1L);
        expectCloseAfter(1009, concat(header, new byte[] {9, 9, 9, 9}));
    }

    @Test
    void hugeSixtyThreeBitLengthIsClosedWith1009FromTheHeaderAlone() throws Exception {
        byte[] header = WsFrames.header(true, 0, TEXT, true, Long.MAX_VALUE);
        expectCloseAfter(1009, concat(header, new byte[] {9, 9, 9, 9}));
    }

    @Test
    void dataFrameAfterClientCloseIsNotEchoed() throws Exception {
        // RFC 6455 §5.5.1: after sending a close frame the endpoint sends no more data; the server
        // answers the close and discards what follows it.
        try (RawWs ws = RawWs.open(server.port(), "/echo")) {
            ws.send(concat(frame(CLOSE, WsFrames.closePayload(1000, "")), frame(TEXT, utf8("too late"))));
            WsFrames.Frame first = ws.read();
            assertThat(first.opcode()).as("first frame after the client's close: %s", first).isEqualTo(CLOSE);
            ws.expectEof(Http.PATIENCE);
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
