package dev.wsstudy.servertests.interop;

import static dev.wsstudy.servertests.support.Http.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsstudy.servertests.support.JdkWs;
import dev.wsstudy.servertests.support.ServerKind;
import dev.wsstudy.servertests.support.ServerProcess;
import dev.wsstudy.servertests.support.Stats;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** Interop with a client we did not write: the JDK's {@code java.net.http.WebSocket}. */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.wsstudy.servertests.support.ServerKind#underTest")
class JdkClientInteropTest {
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

    static void closeNormally(JdkWs c) throws Exception {
        c.ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        JdkWs.Event e = c.next();
        while (e instanceof JdkWs.Text) e = c.next(); // chat notices still in flight (e.g. a leave)
        assertThat(e).isInstanceOf(JdkWs.Closed.class);
        assertThat(((JdkWs.Closed) e).code()).isEqualTo(1000);
    }

    @Test
    void jdkClientGetsTextAndBinaryEchoed() throws Exception {
        try (JdkWs c = JdkWs.connect(server.port(), "/echo")) {
            c.ws.sendText("hello from the JDK ✓", true).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertThat(c.nextText()).isEqualTo("hello from the JDK ✓");
            byte[] big = new byte[300_000];
            new Random(1).nextBytes(big);
            c.ws.sendBinary(ByteBuffer.wrap(big), true).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            JdkWs.Event e = c.next();
            assertThat(e).isInstanceOf(JdkWs.Binary.class);
            assertThat(((JdkWs.Binary) e).bytes()).isEqualTo(big);
            closeNormally(c);
        }
    }

    @Test
    void jdkClientFragmentedTextIsReassembled() throws Exception {
        try (JdkWs c = JdkWs.connect(server.port(), "/echo")) {
            c.ws.sendText("part one, ", false).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            c.ws.sendText("part two, ", false).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            c.ws.sendText("end", true).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertThat(c.nextText()).isEqualTo("part one, part two, end");
            closeNormally(c);
        }
    }

    @Test
    void jdkClientPingGetsPong() throws Exception {
        try (JdkWs c = JdkWs.connect(server.port(), "/echo")) {
            c.ws.sendPing(ByteBuffer.wrap(new byte[] {1, 2, 3})).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            JdkWs.Event e = c.next();
            assertThat(e).isInstanceOf(JdkWs.Pong.class);
            assertThat(((JdkWs.Pong) e).bytes()).containsExactly(1, 2, 3);
            closeNormally(c);
        }
    }

    @Test
    void twoJdkClientsChatInOneRoom() throws Exception {
        try (JdkWs alice = JdkWs.connect(server.port(), "/chat");
             JdkWs bob = JdkWs.connect(server.port(), "/chat")) {
            alice.ws.sendText("{\"type\":\"init\",\"clientId\":\"jdk-alice\",\"roomId\":\"jdk\"}", true).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertThat(json(alice.nextText()).path("type").asText()).isEqualTo("welcome");
            bob.ws.sendText("{\"type\":\"init\",\"clientId\":\"jdk-bob\",\"roomId\":\"jdk\"}", true).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertThat(json(bob.nextText()).path("members").asInt()).isEqualTo(2);
            assertThat(json(alice.nextText()).path("clientId").asText()).isEqualTo("jdk-bob");

            bob.ws.sendText("{\"type\":\"chat\",\"body\":{\"text\":\"hi alice\"}}", true).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            JsonNode atAlice = json(alice.nextText());
            assertThat(atAlice.path("from").asText()).isEqualTo("jdk-bob");
            assertThat(atAlice.path("body").path("text").asText()).isEqualTo("hi alice");
            assertThat(json(bob.nextText()).path("body").path("text").asText()).isEqualTo("hi alice");

            alice.ws.sendText("{\"type\":\"chat\",\"body\":\"hi bob\"}", true).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertThat(json(bob.nextText()).path("body").asText()).isEqualTo("hi bob");
            assertThat(json(alice.nextText()).path("body").asText()).isEqualTo("hi bob");
            closeNormally(alice);
            closeNormally(bob);
        }
    }

    @Test
    void jdkClientSeesServerCloseCode() throws Exception {
        try (JdkWs c = JdkWs.connect(server.port(), "/chat")) {
            c.ws.sendText("{\"type\":\"init\",\"clientId\":\"jdk-bin\",\"roomId\":\"jdk\"}", true).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertThat(json(c.nextText()).path("type").asText()).isEqualTo("welcome");
            c.ws.sendBinary(ByteBuffer.wrap(new byte[] {1}), true).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            JdkWs.Event e = c.next();
            assertThat(e).isInstanceOf(JdkWs.Closed.class);
            assertThat(((JdkWs.Closed) e).code()).isEqualTo(1003);
        }
    }

    static JsonNode json(String s) throws Exception {
        return Stats.JSON.readTree(s);
    }
}
