package dev.wsstudy.servertests.peers;

import static dev.wsstudy.servertests.support.Http.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wsstudy.servertests.support.Http;
import dev.wsstudy.servertests.support.JdkWs;
import dev.wsstudy.servertests.support.WsFrames;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reference peers we compare against (peers/README.md) keep the peer contract, over real sockets
 * with the JDK's WebSocket client: {@code run} execs the server (so the suite samples the right PID),
 * {@code /health} is 200, {@code /echo} returns every message with its type, permessage-deflate is
 * not negotiated (as in our servers), and SIGTERM ends the process promptly.
 */
@ParameterizedClass(name = "{0}", allowZeroInvocations = true)
@MethodSource("peersUnderTest")
class PeerContractTest {
    /**
     * A peer as the suite starts it (suites/peers.json): its name there, its folder under peers/,
     * the extra {@code run} arguments, and the executable name {@code run} must exec.
     */
    record Peer(String name, String folder, List<String> args, String executable) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final List<Peer> PEERS = List.of(
            new Peer("netty-epoll", "netty", List.of("--transport", "epoll"), "java"),
            new Peer("netty-nio", "netty", List.of("--transport", "nio"), "java"),
            new Peer("jetty-vt", "jetty", List.of(), "java"),
            new Peer("node-ws", "node-ws", List.of(), "node"),
            new Peer("gorilla", "gorilla", List.of(), "gorilla-echo"));

    /** All, or those named in {@code -Dwsstudy.peers=node-ws,...} (empty: none). */
    static List<Peer> peersUnderTest() {
        String only = System.getProperty("wsstudy.peers");
        if (only == null) return PEERS;
        List<String> names = List.of(only.trim().split("\\s*,\\s*"));
        return PEERS.stream().filter(p -> names.contains(p.name())).toList();
    }

    @Parameter
    Peer peer;
    static PeerProcess server;

    @BeforeParameterizedClassInvocation
    @Timeout(value = 5, unit = TimeUnit.MINUTES) // the first build may install Go or npm packages
    static void start(Peer peer) throws Exception {
        server = PeerProcess.start(peer.folder(), peer.args());
    }

    @AfterParameterizedClassInvocation
    static void stop() throws Exception {
        if (server != null) server.close();
        server = null;
    }

    @Test
    void runExecsTheServerSoItsPidIsTheServers() throws Exception {
        assertThat(server.comm()).isEqualTo(peer.executable());
    }

    @Test
    void healthAnswers200() throws Exception {
        assertThat(Http.get(server.port, "/health").status()).isEqualTo(200);
    }

    @Test
    void textMessagesComeBackAsTheSameText() throws Exception {
        try (JdkWs client = JdkWs.connect(server.port, "/echo")) {
            for (String text : List.of("hello", "", "grüße, 世界 🙂", "x".repeat(70_000))) {
                client.ws.sendText(text, true).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                assertThat(client.nextText()).isEqualTo(text);
            }
            client.ws.sendClose(1000, "").get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    void binaryMessagesComeBackAsTheSameBinary() throws Exception {
        byte[] everyByte = new byte[256];
        for (int i = 0; i < 256; i++) everyByte[i] = (byte) i;
        byte[] large = new byte[200_000];
        new Random(3).nextBytes(large);
        try (JdkWs client = JdkWs.connect(server.port, "/echo")) {
            for (byte[] payload : List.of(new byte[64], everyByte, large)) {
                client.ws.sendBinary(ByteBuffer.wrap(payload), true).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                assertThat(client.next()).isInstanceOfSatisfying(JdkWs.Binary.class,
                        b -> assertThat(b.bytes()).isEqualTo(payload));
            }
            client.ws.sendClose(1000, "").get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    void offeredPermessageDeflateIsNotNegotiated() throws Exception {
        String key = WsFrames.newKey();
        String request = "GET /echo HTTP/1.1\r\nHost: 127.0.0.1:" + server.port + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n";
        try (Socket socket = Http.connect(server.port)) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            Http.Response head = Http.readHead(in);
            assertThat(head.status()).isEqualTo(101);
            assertThat(head.header("sec-websocket-accept")).isEqualTo(WsFrames.acceptFor(key));
            assertThat(head.header("sec-websocket-extensions")).isNull();
        }
    }

    @Test
    void sigtermEndsTheProcessPromptly() throws Exception {
        try (PeerProcess own = PeerProcess.start(peer.folder(), peer.args());
             JdkWs client = JdkWs.connect(own.port, "/echo")) { // a connected client must not keep it alive
            client.ws.sendText("ready", true).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertThat(client.nextText()).isEqualTo("ready");
            own.process.destroy(); // SIGTERM
            // It exits at once; the bound only allows for a busy machine not scheduling it.
            assertThat(own.process.waitFor(PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
                    .as("exited within %s of SIGTERM; log:\n%s", PATIENCE, own.log()).isTrue();
        }
    }
}
