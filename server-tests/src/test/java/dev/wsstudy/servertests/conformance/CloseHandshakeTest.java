package dev.wsstudy.servertests.conformance;

import static dev.wsstudy.servertests.support.WsFrames.CLOSE;
import static dev.wsstudy.servertests.support.WsFrames.TEXT;
import static dev.wsstudy.servertests.support.WsFrames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wsstudy.servertests.support.Http;
import dev.wsstudy.servertests.support.RawWs;
import dev.wsstudy.servertests.support.ServerKind;
import dev.wsstudy.servertests.support.ServerProcess;
import dev.wsstudy.servertests.support.Stats;
import dev.wsstudy.servertests.support.WsFrames;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The closing handshake both ways (RFC 6455 §5.5.1, §7), close payload rules (§7.4), and who closes
 * TCP: the server, right after the exchange (§7.1.1). "Right after" is told apart from "after the
 * close timeout" by a long close timeout (20 s) and an EOF expected within half of it, so a busy
 * machine that delays the server by seconds cannot fail the check. The "peer never answers" path
 * runs on the shared server with the default close timeout (3 s), so it stays quick.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.wsstudy.servertests.support.ServerKind#underTest")
class CloseHandshakeTest {
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(20);

    @Parameter
    ServerKind kind;
    static ServerProcess server;
    static long baseline;

    @BeforeParameterizedClassInvocation
    static void start(ServerKind kind) throws Exception {
        server = ServerProcess.start(kind, "--close-timeout-ms", Long.toString(CLOSE_TIMEOUT.toMillis()));
        baseline = server.idleConnections();
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        server.close();
    }

    @AfterEach
    void nothingLeaked() throws Exception {
        Stats.awaitNothingLeaked(server, baseline);
    }

    @ParameterizedTest(name = "code {0}")
    @ValueSource(ints = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 4000, 4999})
    void clientCloseWithValidCodeIsAnsweredWith1000ThenTcpClosed(int code) throws Exception {
        try (RawWs ws = RawWs.open(server.port(), "/echo")) {
            ws.sendClose(code, "bye");
            WsFrames.Frame answer = ws.read();
            assertThat(answer.opcode()).isEqualTo(CLOSE);
            assertThat(answer.closeCode()).isEqualTo(1000);
            // The server closes TCP first (RFC 6455 §7.1.1), and well before its close timeout.
            ws.expectEof(CLOSE_TIMEOUT.dividedBy(2));
        }
    }

    @Test
    void clientCloseWithEmptyPayloadIsAnsweredThenTcpClosed() throws Exception {
        try (RawWs ws = RawWs.open(server.port(), "/echo")) {
            ws.send(frame(CLOSE, new byte[0]));
            WsFrames.Frame answer = ws.read();
            assertThat(answer.opcode()).isEqualTo(CLOSE);
            assertThat(answer.payload().length == 0 || answer.closeCode() == 1000)
                    .as("answer to an empty close is empty or 1000: %s", answer).isTrue();
            ws.expectEof(CLOSE_TIMEOUT.dividedBy(2));
        }
    }

    @ParameterizedTest(name = "code {0}")
    @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1012, 1013, 1014, 1015, 1016, 2000, 2999, 5000, 65535})
    void clientCloseWithInvalidCodeIsClosedWith1002(int code) throws Exception {
        // RFC 6455 §7.4.1–7.4.2: 1004–1006 and 1015 must not be sent; below 1000 and unassigned
        // codes are invalid. docs/wire-protocol.md accepts 1000–1003, 1007–1011, 3000–4999.
        try (RawWs ws = RawWs.open(server.port(), "/echo")) {
            ws.sendClose(code, "");
            WsFrames.Frame answer = ws.read();
            assertThat(answer.opcode()).isEqualTo(CLOSE);
            assertThat(answer.closeCode()).isEqualTo(1002);
            ws.expectEof(Http.PATIENCE);
        }
    }

    @Test
    void closePayloadOfOneByteIsClosedWith1002() throws Exception {
        try (RawWs ws = RawWs.open(server.port(), "/echo")) {
            ws.send(frame(CLOSE, new byte[] {0x03}));
            ws.expectClose(1002);
        }
    }

    @Test
    void closeReasonNotUtf8IsClosedWith1007() throws Exception {
        try (RawWs ws = RawWs.open(server.port(), "/echo")) {
            ws.send(frame(CLOSE, new byte[] {0x03, (byte) 0xE8, (byte) 0xFF, (byte) 0xFE}));
            ws.expectClose(1007);
        }
    }

    @Test
    void serverInitiatedCloseEndsTcpRightAfterTheClientsAnswer() throws Exception {
        try (RawWs ws = RawWs.open(server.port(), "/echo")) {
            ws.send(frame(true, 0, TEXT, false, "unmasked".getBytes())); // makes the server close with 1002
            WsFrames.Frame close = ws.readUntilClose();
            assertThat(close.closeCode()).isEqualTo(1002);
            ws.sendClose(1002, "");
            ws.expectEof(CLOSE_TIMEOUT.dividedBy(2));
        }
    }

    @Test
    void serverClosesTcpAfterCloseTimeoutWhenClientNeverAnswers() throws Exception {
        ServerProcess shared = ServerProcess.shared(kind); // default --close-timeout-ms: 3000 (docs/servers.md)
        try (RawWs ws = RawWs.open(shared.port(), "/echo")) {
            ws.send(frame(true, 0, TEXT, false, "unmasked".getBytes()));
            assertThat(ws.readUntilClose().closeCode()).isEqualTo(1002);
            // No answer from us: the server must not keep the connection open beyond its close timeout.
            ws.expectEof(Duration.ofSeconds(3).plus(Http.PATIENCE));
        }
        Stats.awaitNothingLeaked(shared, shared.idleConnections());
    }

    @Test
    void clientThatClosesTcpWithoutCloseFrameIsCleanedUp() throws Exception {
        RawWs ws = RawWs.open(server.port(), "/echo");
        ws.sendText("hello");
        assertThat(ws.readText()).isEqualTo("hello");
        ws.close(); // plain FIN, no close frame (abnormal closure, 1006 on the server's side)
        // nothingLeaked() after each test checks the server freed the connection.
    }
}
