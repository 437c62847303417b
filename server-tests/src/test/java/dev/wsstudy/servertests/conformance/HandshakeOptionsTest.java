package dev.wsstudy.servertests.conformance;

import static dev.wsstudy.servertests.conformance.HandshakeTest.expectRefusal;
import static dev.wsstudy.servertests.conformance.HandshakeTest.upgrade;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wsstudy.servertests.support.Http;
import dev.wsstudy.servertests.support.ServerKind;
import dev.wsstudy.servertests.support.ServerProcess;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** Handshake options: the Origin allowlist (403) and subprotocol selection (RFC 6455 §4.2.2, docs/servers.md). */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.wsstudy.servertests.support.ServerKind#underTest")
class HandshakeOptionsTest {
    @Parameter
    ServerKind kind;
    static ServerProcess server;

    @BeforeParameterizedClassInvocation
    static void start(ServerKind kind) {
        server = ServerProcess.start(kind, "--allowed-origin", "http://good.example",
                "--allowed-origin", "http://also.example", "--subprotocol", "wsstudy.v1", "--subprotocol", "wsstudy.v2");
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        server.close();
    }

    static int status(String request) throws Exception {
        try (Socket socket = Http.connect(server.port())) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return Http.readHead(socket.getInputStream()).status();
        }
    }

    @Test
    void originNotInAllowlistGets403() throws Exception {
        expectRefusal(server.port(), upgrade("/echo", "Origin: http://evil.example").getBytes(StandardCharsets.US_ASCII), 403);
    }

    @Test
    void allowedOriginsAreUpgraded() throws Exception {
        assertThat(status(upgrade("/echo", "Origin: http://good.example"))).isEqualTo(101);
        assertThat(status(upgrade("/chat", "Origin: http://also.example"))).isEqualTo(101);
    }

    @Test
    void upgradeWithoutOriginIsAllowed() throws Exception {
        // docs/wire-protocol.md: a request without Origin is not from a browser; the allowlist protects browsers' users.
        assertThat(status(upgrade("/echo"))).isEqualTo(101);
    }

    @Test
    void originIsComparedCaseInsensitively() throws Exception {
        assertThat(status(upgrade("/echo", "Origin: HTTP://Good.Example"))).isEqualTo(101);
    }

    @Test
    void serverSelectsTheFirstClientOfferedSubprotocolItSupports() throws Exception {
        try (Socket socket = Http.connect(server.port())) {
            socket.getOutputStream().write(upgrade("/echo", "Origin: http://good.example",
                    "Sec-WebSocket-Protocol: chat.other, wsstudy.v2, wsstudy.v1").getBytes(StandardCharsets.US_ASCII));
            Http.Response r = Http.readHead(socket.getInputStream());
            assertThat(r.status()).isEqualTo(101);
            assertThat(r.header("sec-websocket-protocol")).isEqualTo("wsstudy.v2");
        }
    }

    @Test
    void noSupportedSubprotocolOfferedMeansNoneSelected() throws Exception {
        try (Socket socket = Http.connect(server.port())) {
            socket.getOutputStream().write(upgrade("/echo", "Origin: http://good.example",
                    "Sec-WebSocket-Protocol: mqtt").getBytes(StandardCharsets.US_ASCII));
            Http.Response r = Http.readHead(socket.getInputStream());
            assertThat(r.status()).isEqualTo(101);
            assertThat(r.header("sec-websocket-protocol")).isNull();
        }
    }
}
