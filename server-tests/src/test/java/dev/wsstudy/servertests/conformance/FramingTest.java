package dev.wsstudy.servertests.conformance;

import static dev.wsstudy.servertests.support.WsFrames.BINARY;
import static dev.wsstudy.servertests.support.WsFrames.CONTINUATION;
import static dev.wsstudy.servertests.support.WsFrames.PING;
import static dev.wsstudy.servertests.support.WsFrames.PONG;
import static dev.wsstudy.servertests.support.WsFrames.TEXT;
import static dev.wsstudy.servertests.support.WsFrames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wsstudy.servertests.support.RawWs;
import dev.wsstudy.servertests.support.ServerKind;
import dev.wsstudy.servertests.support.ServerProcess;
import dev.wsstudy.servertests.support.Stats;
import dev.wsstudy.servertests.support.WsFrames;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Data framing on {@code /echo}: sizes, fragmentation, ping/pong (RFC 6455 §5.2–5.5), over TCP. */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.wsstudy.servertests.support.ServerKind#underTest")
class FramingTest {
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
    void nothingLeaked() throws Exception {
        Stats.awaitNothingLeaked(server, baseline);
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String randomText(int n, long seed) {
        Random r = new Random(seed);
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) s.append((char) (' ' + r.nextInt(95)));
        return s.toString();
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 125, 126, 127, 65535, 65536, 1 << 20})
    void binaryMessageIsEchoedVerbatimAsOneFrame(int size) throws Exception {
        byte[] payload = randomBytes(size, size);
        try (RawWs ws = RawWs.open(server.port(), "/echo")) {
            ws.sendBinary(payload);
            WsFrames.Frame echo = ws.read();
            assertThat(echo.opcode()).isEqualTo(BINARY);
            assertThat(echo.fin()).isTrue();
            assertThat(echo.rsv()).isZero();
            assertThat(echo.payload()).isEqualTo(payload);
            ws.sendClose(1000, "");
            ws.expectClose(1000);
        }
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 125, 126, 127, 65535, 65536, 1 << 20})
    void textMessageIsEchoedVerbatimAsOneFrame(int size) throws Exception {
        String text = randomText(size, size);
        try (RawWs ws = RawWs.open(server.port(), "/echo")) {
            ws.sendText(text);
            WsFrames.Frame echo = ws.read();
            assertThat(echo.opcode()).isEqualTo(TEXT);
            assertThat(echo.fin()).isTrue();
            assertThat(echo.text()).isEqualTo(text);
        }
    }

    @Test
    void multiByteUtf8TextIsEchoed() throws Exception {
        String text = "héllo wörld € 𝄞 日本語";
        try (RawWs ws = RawWs.open(server.port(), "/echo")) {
            ws.sendText(text);
            assertThat(ws.readText()).isEqualTo(text);
        }
    }

    @Test
    void manyFramesInOneWriteAreEchoedInOrder() throws Exception {
        try (RawWs ws = RawWs.open(server.port(), "/echo")) {
            java.io.ByteArrayOutputStream burst = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < 200; i++) burst.writeBytes(frame(TEXT, ("m" + i).getBytes(StandardCharsets.UTF_8)));
            ws.send(burst.toByteArray());
            for (int i = 0; i < 200; i++) assertThat(ws.readText()).isEqualTo("m" + i);
        }
    }

    @Test
    void frameSplitIntoSingleBytesIsReassembled() throws Exception {
        try (RawWs ws = RawWs.open(server.port(), "/echo")) {
            byte[] f = frame(BINARY, randomBytes(300, 7));
            for (byte b : f) ws.send(new byte[] {b});
            assertThat(ws.read().payload()).isEqualTo(randomBytes(300, 7));
        }
    }

    @Test
    void fragmentedTextWithInterleavedPingsIsReassembled() throws Exception {
        // RFC 6455 §5.4: control frames may be injected in the middle of a fragmented message.
        try (RawWs ws = RawWs.open(server.port(), "/echo")) {
            ws.send(frame(false, 0, TEXT, true, "Hel".getBytes(StandardCharsets.UTF_8)));
            ws.send(frame(true, 0, PING, true, "p1".getBytes(StandardCharsets.UTF_8)));
            ws.send(frame(false, 0, CONTINUATION, true, "lo, ".getBytes(StandardCharsets.UTF_8)));
            ws.send(frame(true, 0, PING, true, "p2".getBytes(StandardCharsets.UTF_8)));
            ws.send(frame(false, 0, CONTINUATION, true, new byte[0]));
            ws.send(frame(true, 0, CONTINUATION, true, "world".getBytes(StandardCharsets.UTF_8)));
            WsFrames.Frame pong1 = ws.read();
            WsFrames.Frame pong2 = ws.read();
            assertThat(pong1.opcode()).isEqualTo(PONG);
            assertThat(pong1.text()).isEqualTo("p1");
            assertThat(pong2.opcode()).isEqualTo(PONG);
            assertThat(pong2.text()).isEqualTo("p2");
            WsFrames.Frame echo = ws.read();
            assertThat(echo.opcode()).isEqualTo(TEXT);
            assertThat(echo.fin()).isTrue();
            assertThat(echo.text()).isEqualTo("Hello, world");
        }
    }

    @Test
    void fragmentedBinaryOfManyTinyFragmentsIsReassembled() throws Exception {
        byte[] payload = randomBytes(5000, 3);
        try (RawWs ws = RawWs.open(server.port(), "/echo")) {
            java.io.ByteArrayOutputStream frames = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < payload.length; i += 10) {
                byte[] part = java.util.Arrays.copyOfRange(payload, i, Math.min(payload.length, i + 10));
                frames.writeBytes(frame(i + 10 >= payload.length, 0, i == 0 ? BINARY : CONTINUATION, true, part));
            }
            ws.send(frames.toByteArray());
            WsFrames.Frame echo = ws.read();
            assertThat(echo.opcode()).isEqualTo(BINARY);
            assertThat(echo.payload()).isEqualTo(payload);
        }
    }

    @Test
    void utf8CodepointSplitAcrossFragmentsIsValid() throws Exception {
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8); // E2 82 AC
        try (RawWs ws = RawWs.open(server.port(), "/echo")) {
            ws.send(frame(false, 0, TEXT, true, new byte[] {'a', euro[0]}));
            ws.send(frame(false, 0, CONTINUATION, true, new byte[] {euro[1]}));
            ws.send(frame(true, 0, CONTINUATION, true, new byte[] {euro[2], 'b'}));
            assertThat(ws.readText()).isEqualTo("a€b");
        }
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 125})
    void pingIsAnsweredWithPongOfTheSamePayload(int size) throws Exception {
        byte[] payload = randomBytes(size, 11);
        try (RawWs ws = RawWs.open(server.port(), "/echo")) {
            ws.sendPing(payload);
            WsFrames.Frame pong = ws.read();
            assertThat(pong.opcode()).isEqualTo(PONG);
            assertThat(pong.fin()).isTrue();
            assertThat(pong.payload()).isEqualTo(payload);
        }
    }

    @Test
    void unsolicitedPongIsIgnored() throws Exception {
        // RFC 6455 §5.5.3: a pong may be sent unsolicited (a heartbeat); no response is expected.
        try (RawWs ws = RawWs.open(server.port(), "/echo")) {
            ws.send(frame(PONG, "beat".getBytes(StandardCharsets.UTF_8)));
            ws.sendText("after pong");
            assertThat(ws.readText()).isEqualTo("after pong");
        }
    }
}
