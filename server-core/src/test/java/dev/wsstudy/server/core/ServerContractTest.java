package dev.wsstudy.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A smoke-level contract every server passes, in-process over real sockets with the JDK's own
 * WebSocket client. The full behaviour suite lives in server-tests; this guards each server
 * module's build. Subclasses say which server to start.
 */
public abstract class ServerContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * How long to wait for what the server will surely do. Generous: in CI these servers share 2
     * cores with other builds, and seconds without being scheduled are normal there. Only a
     * failing test ever waits this long.
     */
    private static final Duration WAIT = Duration.ofSeconds(30);

    protected abstract String kind();

    protected abstract WebSocketServer create(ServerContext ctx);

    private WebSocketServer server;
    private int port;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws IOException {
        // A long close timeout: the slow-consumer case must read its close frame before the server
        // gives up on the connection, however long a busy machine takes to write and read 12 MB.
        ServerConfig config = ServerOptions.parse(kind(), "--port", "0", "--max-outbox-bytes", "65536",
                "--close-timeout-ms", "" + WAIT.toMillis());
        server = create(new ServerContext(config));
        InetSocketAddress bound = server.start();
        port = bound.getPort();
    }

    @AfterEach
    void stop() {
        server.shutdown(2000);
    }

    @Test
    void echoesTextAndBinaryMessagesToTheJdkClient() throws Exception {
        JdkClient c = connect("/echo");
        c.ws.sendText("hello", true).join();
        assertThat(c.next()).isEqualTo("hello");
        byte[] big = new byte[1 << 20];
        for (int i = 0; i < big.length; i++) big[i] = (byte) i;
        c.ws.sendBinary(ByteBuffer.wrap(big), true).join();
        assertThat(c.next()).isEqualTo("binary:" + big.length + ":" + java.util.Arrays.hashCode(big));
        c.ws.sendClose(1000, "bye").join();
        assertThat(c.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("1000 ");
    }

    @Test
    void servesHealthStatsAndTheDemoPage() throws Exception {
        assertThat(get("/health").body()).isEqualTo("ok");
        Map<String, Object> stats = JSON.readValue(get("/stats").body(), new TypeReference<>() { });
        assertThat(stats.get("server")).isEqualTo(kind());
        assertThat(stats).containsKeys("connectionsOpen", "messagesIn", "framesPerWrite", "pollerMode", "cluster");
        HttpResponse<String> page = get("/");
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.body()).contains("id=\"clientId\"", "new WebSocket(");
        assertThat(get("/nope").statusCode()).isEqualTo(404);
    }

    @Test
    void chatBroadcastReachesEveryMemberIncludingTheSender() throws Exception {
        List<JdkClient> members = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JdkClient c = connect("/chat");
            c.ws.sendText("{\"type\":\"init\",\"clientId\":\"m" + i + "\",\"roomId\":\"lobby\"}", true).join();
            assertThat(c.next()).contains("\"welcome\"");
            members.add(c);
        }
        members.get(0).ws.sendText("{\"type\":\"chat\",\"body\":\"hi\"}", true).join();
        for (JdkClient c : members) {
            assertThat(c.nextMatching("\"chat\"")).contains("\"from\":\"m0\"", "\"body\":\"hi\"");
        }
    }

    @Test
    void clientThatStopsReadingIsClosedWith1008WhileOthersAreServed() throws Exception {
        // A small receive buffer, set before connecting: shrinking it after the window was
        // advertised makes the kernel prune received data, and retransmission back-off then
        // stalls the connection for minutes.
        try (Socket slow = rawUpgrade("/echo", 16 * 1024)) {
            OutputStream out = slow.getOutputStream();
            byte[] frame = maskedBinaryFrame(32 * 1024);
            // Far more echo than socket buffers plus the 64 KiB outbox can hold; we read nothing.
            try {
                for (int i = 0; i < 400; i++) out.write(frame);
            } catch (IOException closedMeanwhile) {
                // the server may cut us off before we are done writing
            }
            // Reading now, within the close timeout: the echoes that fit, then the close frame.
            assertThat(lastCloseCode(slow.getInputStream())).isEqualTo(1008);
            // Counted right after the close frame is queued: a moment later than it can be read here.
            waitUntil(() -> stat("slowConsumersClosed") >= 1);
            assertThat(stat("slowConsumersClosed")).isEqualTo(1);
            JdkClient other = connect("/echo");
            other.ws.sendText("still served", true).join();
            assertThat(other.next()).isEqualTo("still served");
        }
    }

    @Test
    void resetConnectionsLeaveNoClientRoomOrConnectionBehind() throws Exception {
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Socket s = rawUpgrade("/chat");
            s.getOutputStream().write(maskedTextFrame("{\"type\":\"init\",\"clientId\":\"r" + i + "\",\"roomId\":\"x\"}"));
            sockets.add(s);
        }
        waitUntil(() -> stat("clients") == 10);
        for (Socket s : sockets) {
            s.setSoLinger(true, 0); // close() now sends RST
            s.close();
        }
        waitUntil(() -> stat("clients") == 0 && stat("rooms") == 0 && stat("connectionsOpen") == 1);
    }

    @Test
    void shutdownClosesEveryClientWith1001() throws Exception {
        List<JdkClient> clients = new ArrayList<>();
        for (int i = 0; i < 5; i++) clients.add(connect("/echo"));
        server.shutdown(WAIT.toMillis()); // returns as soon as every client has answered its close
        for (JdkClient c : clients) assertThat(c.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("1001 server shutting down");
        assertThat(server.connectionCount()).isZero();
    }

    // ---- helpers ----

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private long stat(String name) {
        try {
            return ((Number) JSON.readValue(get("/stats").body(), Map.class).get(name)).longValue();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within " + WAIT);
            Thread.sleep(20);
        }
    }

    private JdkClient connect(String path) {
        return JdkClient.connect(http, port, path);
    }

    private Socket rawUpgrade(String path) throws IOException {
        return rawUpgrade(path, 0);
    }

    private Socket rawUpgrade(String path, int receiveBufferBytes) throws IOException {
        Socket s = new Socket();
        if (receiveBufferBytes > 0) s.setReceiveBufferSize(receiveBufferBytes);
        s.connect(new InetSocketAddress("127.0.0.1", port));
        s.setSoTimeout((int) WAIT.toMillis());
        s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) head.append((char) in.read());
        assertThat(head.toString()).startsWith("HTTP/1.1 101");
        return s;
    }

    /** Masking key 0: the payload goes out as is, and the frame is still a valid masked frame. */
    private static byte[] maskedBinaryFrame(int length) {
        ByteBuffer b = ByteBuffer.allocate(2 + 2 + 4 + length);
        b.put((byte) 0x82).put((byte) (0x80 | 126)).putShort((short) length).putInt(0);
        return b.array();
    }

    private static byte[] maskedTextFrame(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(2 + 4 + payload.length);
        b.put((byte) 0x81).put((byte) (0x80 | payload.length)).putInt(0).put(payload);
        return b.array();
    }

    /** Reads server frames until a close frame; returns its code. */
    private static int lastCloseCode(InputStream raw) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        while (true) {
            int b0 = in.readUnsignedByte();
            long n = in.readUnsignedByte() & 0x7f;
            if (n == 126) n = in.readUnsignedShort();
            else if (n == 127) n = in.readLong();
            byte[] payload = in.readNBytes((int) n);
            if ((b0 & 0x0f) == 8) return ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        }
    }
}
