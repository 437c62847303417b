package dev.wsstudy.servertests.robustness;

import static dev.wsstudy.servertests.support.WsFrames.BINARY;
import static dev.wsstudy.servertests.support.WsFrames.CLOSE;
import static dev.wsstudy.servertests.support.WsFrames.CONTINUATION;
import static dev.wsstudy.servertests.support.WsFrames.PING;
import static dev.wsstudy.servertests.support.WsFrames.PONG;
import static dev.wsstudy.servertests.support.WsFrames.TEXT;
import static dev.wsstudy.servertests.support.WsFrames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsstudy.servertests.support.ChatClient;
import dev.wsstudy.servertests.support.Http;
import dev.wsstudy.servertests.support.RawWs;
import dev.wsstudy.servertests.support.ServerKind;
import dev.wsstudy.servertests.support.ServerProcess;
import dev.wsstudy.servertests.support.Stats;
import dev.wsstudy.servertests.support.WsFrames;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad and hostile clients (issue 3 "identical behaviour under stress"). After each case the server
 * must still serve a new client, and {@code /stats} must show nothing leaked. Small limits make each
 * case quick: 256 KiB outbox, 64 KiB frames, 128 KiB messages, 1 s handshake and close timeouts.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.wsstudy.servertests.support.ServerKind#underTest")
class RobustnessTest {
    static final int MAX_OUTBOX = 256 * 1024;
    static final int MAX_FRAME = 64 * 1024;
    static final int MAX_MESSAGE = 128 * 1024; // below the outbox bound: an echo at the limit is not an outbox edge case
    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(1);

    @Parameter
    ServerKind kind;
    static ServerProcess server;
    static long baseline;

    @BeforeParameterizedClassInvocation
    static void start(ServerKind kind) throws Exception {
        server = ServerProcess.start(kind, "--max-outbox-bytes", "" + MAX_OUTBOX, "--max-frame-bytes", "" + MAX_FRAME,
                "--max-message-bytes", "" + MAX_MESSAGE, "--handshake-timeout-ms", "" + HANDSHAKE_TIMEOUT.toMillis(),
                "--close-timeout-ms", "1000");
        baseline = server.idleConnections();
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        server.close();
    }

    @AfterEach
    void serverStillServesAndNothingLeaked() throws Exception {
        try (RawWs ws = RawWs.open(server.port(), "/echo")) {
            ws.sendText("next client");
            assertThat(ws.readText()).isEqualTo("next client");
        }
        Stats.awaitNothingLeaked(server, baseline);
    }

    static Socket rawSocket(int receiveBuffer) throws IOException {
        Socket s = new Socket();
        if (receiveBuffer > 0) s.setReceiveBufferSize(receiveBuffer); // before connect, so the window stays small
        s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
        s.setSoTimeout((int) Http.PATIENCE.toMillis());
        return s;
    }

    @Test
    void slowConsumerIsClosedWith1008WhileOthersKeepReceiving() throws Exception {
        // Regression: the blocking servers once counted a gathering write's bytes until the whole write
        // call returned, so a member that kept reading (never more than ~140 KB behind with a 256 KiB
        // bound) was cut as a slow consumer too. The bound now applies to queued bytes only.
        int messages = 1500;
        String filler = "x".repeat(8 * 1024); // 1500 × 8 KiB = 12 MiB: far beyond outbox + socket buffers
        long slowClosedBefore = Stats.field(Stats.fetch(server), Stats.SLOW_CONSUMERS_CLOSED);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
             ChatClient slow = ChatClient.connect(rawSocket(4096), server.port(), "slow");
             ChatClient fast = ChatClient.join(server.port(), "fast", "busy");
             ChatClient sender = ChatClient.join(server.port(), "sender", "busy")) {
            assertThat(slow.init("busy").path("type").asText()).isEqualTo("welcome");
            // fast already saw sender join; sender saw nothing. slow now stops reading entirely.
            // fast and sender read as fast as they can; the sender keeps at most 16 messages (128 KiB,
            // half the outbox) ahead of them, so only slow, which reads nothing, can overflow.
            AtomicInteger fastProgress = new AtomicInteger();
            AtomicInteger senderProgress = new AtomicInteger();
            Future<Integer> fastReceived = threads.submit(() -> receiveSeries(fast, messages, fastProgress));
            Future<Integer> senderReceived = threads.submit(() -> receiveSeries(sender, messages, senderProgress));
            for (int i = 0; i < messages; i++) {
                long deadline = System.nanoTime() + Http.PATIENCE.toNanos();
                while (i - Math.min(fastProgress.get(), senderProgress.get()) > 16) {
                    if (fastReceived.isDone()) fastReceived.get(); // a reader that failed: surface why
                    if (senderReceived.isDone()) senderReceived.get();
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("others stalled at message " + i + ": fast has " + fastProgress
                                + ", sender has " + senderProgress + "; server log:\n" + server.tail());
                    }
                    Thread.sleep(1);
                }
                sender.chat(null, Stats.JSON.createObjectNode().put("seq", i).put("pad", filler));
            }
            // The broadcaster never blocked on slow, and the others got everything, in order.
            assertThat(fastReceived.get()).isEqualTo(messages);
            assertThat(senderReceived.get()).isEqualTo(messages);

            // slow now reads what reached it: some chats, then close 1008 (or the server already hung up).
            slow.ws.readTimeout(Http.PATIENCE);
            int chats = 0;
            Integer closeCode = null;
            try {
                while (true) {
                    WsFrames.Frame f = slow.ws.read();
                    if (f.opcode() == CLOSE) {
                        closeCode = f.closeCode();
                        break;
                    }
                    chats++;
                }
            } catch (java.io.EOFException | java.net.SocketException ended) {
                // disconnected without (reachable) close frame: allowed by the brief (closed or disconnected)
            }
            if (closeCode != null) assertThat(closeCode).as("close code for a slow consumer").isEqualTo(1008);
            // Bounded memory: the server dropped what did not fit instead of buffering all 12 MiB for slow.
            assertThat(chats).as("chats slow received before being cut off").isLessThan(messages);
            // The server counts a slow consumer right after queueing its close frame, so a client can
            // see the close a moment before /stats counts it: wait for the count, then check it.
            assertThat(awaitCount(Stats.SLOW_CONSUMERS_CLOSED, slowClosedBefore + 1) - slowClosedBefore)
                    .as("slow consumers counted in /stats").isEqualTo(1);
            // docs/servers.md "Stress behaviour": WARN slow-consumer.
            server.awaitLogLine(Pattern.compile("\\sWARN\\s+" + kind.logName + "\\s+slow-consumer\\b"), Http.PATIENCE);
        }
    }

    /** Reads the sender's numbered series (skipping join/leave notices); returns how many arrived in order. */
    static int receiveSeries(ChatClient c, int count, AtomicInteger progress) throws IOException {
        int next = 0;
        while (next < count) {
            JsonNode m = c.next();
            if (!"chat".equals(m.path("type").asText())) continue;
            int seq = m.path("body").path("seq").asInt();
            if (seq != next) throw new AssertionError(c.clientId + " got seq " + seq + ", expected " + next);
            progress.set(++next);
        }
        return next;
    }

    @Test
    void abruptResetMidMessageFreesConnectionAndRoomMembership() throws Exception {
        try (ChatClient stay = ChatClient.join(server.port(), "stayer", "reset-room")) {
            ChatClient victim = ChatClient.join(server.port(), "victim", "reset-room");
            assertThat(stay.next().path("type").asText()).isEqualTo("join");
            byte[] f = frame(TEXT, ("{\"type\":\"chat\",\"body\":\"" + "y".repeat(1000) + "\"}").getBytes(StandardCharsets.UTF_8));
            victim.ws.send(Arrays.copyOf(f, f.length / 2)); // half a frame, then RST
            victim.ws.socket.setSoLinger(true, 0);
            victim.close();
            RawWs echo = RawWs.open(server.port(), "/echo");
            echo.send(Arrays.copyOf(frame(BINARY, new byte[5000]), 3000));
            echo.socket.setSoLinger(true, 0);
            echo.close();
            // The victim's id is free again and the room has one member left.
            awaitClients(1);
            try (ChatClient again = ChatClient.connect(server.port(), "victim")) {
                assertThat(again.init("reset-room").path("members").asInt()).isEqualTo(2);
            }
        }
    }

    @Test
    void halfClosedClientMidMessageIsCleanedUp() throws Exception {
        try (ChatClient half = ChatClient.join(server.port(), "half", "half-room")) {
            byte[] f = frame(TEXT, "{\"type\":\"chat\",\"body\":1}".getBytes(StandardCharsets.UTF_8));
            half.ws.send(Arrays.copyOf(f, 5));
            half.ws.socket.shutdownOutput(); // FIN: the server sees EOF mid-frame
            half.ws.expectEof(Http.PATIENCE);
        }
    }

    @Test
    void silentClientIsClosedWith1001AfterIdleTimeoutAndAnsweringPingsKeepsItOpen() throws Exception {
        // A peer that vanished without FIN or RST (half-open) is only detectable by silence.
        // A ping goes out after 250 ms of silence and the pong must reach the server before 2.5 s
        // of silence: 2.25 s for a busy machine to schedule the server, this test and the server
        // again. Watching for 3 s, longer than the idle timeout, shows the answering client is kept.
        Duration idleTimeout = Duration.ofMillis(2500);
        Duration pingInterval = Duration.ofMillis(250);
        Duration watch = idleTimeout.plusMillis(500);
        try (ServerProcess idle = ServerProcess.start(kind, "--idle-timeout-ms", "" + idleTimeout.toMillis(),
                "--ping-interval-ms", "" + pingInterval.toMillis())) {
            long idleBaseline = idle.idleConnections();
            try (ChatClient silent = ChatClient.connect(idle.port(), "silent");
                 RawWs alive = RawWs.open(idle.port(), "/echo")) {
                silent.send(ChatClient.obj("init").put("clientId", "silent").put("roomId", "quiet"));
                // Pings may come before the welcome: the server pings after 250 ms of silence, and
                // sending INIT may take this test longer than that. silent never answers them.
                WsFrames.Frame welcome = silent.ws.read();
                while (welcome.opcode() == PING) welcome = silent.ws.read();
                assertThat(welcome.opcode()).as("%s", welcome).isEqualTo(TEXT);
                assertThat(Stats.JSON.readTree(welcome.text()).path("type").asText()).as(welcome.text()).isEqualTo("welcome");
                long until = System.nanoTime() + watch.toNanos();
                int pings = 0;
                while (System.nanoTime() < until) {
                    WsFrames.Frame f = alive.read();
                    assertThat(f.opcode()).as("a client answering pings is kept: %s", f).isEqualTo(PING);
                    pings++;
                    alive.send(frame(PONG, f.payload()));
                }
                assertThat(pings).as("keep-alive pings in %s at a %s interval", watch, pingInterval).isGreaterThanOrEqualTo(3);
                // silent never answered: it got pings, then close 1001 once the idle timeout passed.
                assertThat(silent.ws.readUntilClose().closeCode()).isEqualTo(1001);
                alive.closeHandshake(1000);
            }
            Stats.awaitNothingLeaked(idle, idleBaseline);
        }
    }

    @Test
    void garbageInsteadOfHttpGets400AndClose() throws Exception {
        // A TLS ClientHello start: binary, no line break. An incremental parser rejects it at once.
        byte[] tls = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xFC, 0x03, 0x03, 0x00, (byte) 0xFF};
        expectAnswerThenClose(tls, 400);
        expectAnswerThenClose("HELLO\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 400);
        byte[] noise = new byte[2000];
        new java.util.Random(5).nextBytes(noise);
        expectAnswerThenClose(noise, 400);
    }

    @Test
    void oversizedHandshakeGets431() throws Exception {
        String head = "GET /echo HTTP/1.1\r\nHost: h\r\nX-Long: " + "a".repeat(20_000); // never ends
        expectAnswerThenClose(head.getBytes(StandardCharsets.US_ASCII), 431);
        StringBuilder many = new StringBuilder("GET /echo HTTP/1.1\r\nHost: h\r\n");
        for (int i = 0; i < 1000; i++) many.append("X-").append(i).append(": v\r\n");
        expectAnswerThenClose(many.toString().getBytes(StandardCharsets.US_ASCII), 431);
    }

    static void expectAnswerThenClose(byte[] request, int status) throws Exception {
        try (Socket s = Http.connect(server.port())) {
            try {
                s.getOutputStream().write(request);
            } catch (IOException closedEarly) {
                // the server may answer and close before reading everything; the answer is still there
            }
            Http.Response r = Http.readHead(s.getInputStream());
            assertThat(r.status()).isEqualTo(status);
            String length = r.header("content-length");
            if (length != null) s.getInputStream().readNBytes(Integer.parseInt(length));
            assertThat(Http.closedByPeer(s)).as("closed after %d", status).isTrue();
        }
    }

    @Test
    void handshakeNeverFinishedIsDroppedAfterTheTimeout() throws Exception {
        // Timed from before connecting: the server starts a connection's timeout when it accepts it,
        // which may be before connect() returns here.
        long start = System.nanoTime();
        try (Socket partial = Http.connect(server.port()); Socket mute = Http.connect(server.port())) {
            partial.getOutputStream().write("GET /echo HTTP/1.1\r\nHost: h\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(Http.closedByPeer(partial)).as("partial head dropped").isTrue();
            assertThat(Http.closedByPeer(mute)).as("silent connection dropped").isTrue();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(took).as("dropped after the 1 s handshake timeout, not before")
                    .isGreaterThanOrEqualTo(HANDSHAKE_TIMEOUT).isLessThan(Http.PATIENCE);
            // docs/servers.md "Stress behaviour": WARN timeout what=handshake.
            server.awaitLogLine(Pattern.compile("\\sWARN\\s+" + kind.logName + "\\s+timeout\\b.*what=handshake"), Http.PATIENCE);
        }
    }

    @Test
    void frameOverTheFrameLimitIsClosedWith1009() throws Exception {
        try (RawWs ws = RawWs.open(server.port(), "/echo")) {
            ws.send(frame(BINARY, new byte[MAX_FRAME + 1]));
            ws.expectClose(1009);
        }
    }

    @Test
    void messageOverTheMessageLimitIsClosedWith1009() throws Exception {
        int fragments = MAX_MESSAGE / MAX_FRAME;
        try (RawWs ws = RawWs.open(server.port(), "/echo")) {
            // Exactly at the limit: full-size fragments are accepted and echoed (limits are inclusive).
            for (int i = 0; i < fragments; i++) {
                ws.send(frame(i == fragments - 1, 0, i == 0 ? BINARY : CONTINUATION, true, new byte[MAX_FRAME]));
            }
            assertThat(ws.read().payload()).hasSize(MAX_MESSAGE);
            // One byte more across fragments: 1009, each fragment being within the frame limit.
            for (int i = 0; i < fragments; i++) ws.send(frame(false, 0, i == 0 ? TEXT : CONTINUATION, true, "a".repeat(MAX_FRAME).getBytes()));
            ws.send(frame(true, 0, CONTINUATION, true, "a".getBytes()));
            ws.expectClose(1009);
        }
    }

    @Test
    void oneMessageLargerThanTheOutboxBoundIsAcceptedIntoAnEmptyOutbox() throws Exception {
        // docs/servers.md: "A single message larger than the bound is accepted into an empty outbox."
        // Regression (same cause as the slow-consumer case): in the blocking servers the bytes of the 101
        // answer stayed counted until the writer thread booked them, so this echo was sometimes refused.
        try (ServerProcess small = ServerProcess.start(kind, "--max-outbox-bytes", "65536")) {
            byte[] big = new byte[300_000];
            new java.util.Random(9).nextBytes(big);
            for (int i = 0; i < 100; i++) { // a race: one try is not enough to see it
                try (RawWs ws = RawWs.open(small.port(), "/echo")) {
                    ws.sendBinary(big);
                    WsFrames.Frame echo = ws.read();
                    assertThat(echo.opcode()).as("answer %d to a 300 KB message with a 64 KiB outbox: %s", i, echo).isEqualTo(BINARY);
                    assertThat(echo.payload()).isEqualTo(big);
                }
            }
        }
    }

    @Test
    void pingFloodIsSurvivedAndOtherClientsAreStillServed() throws Exception {
        int pings = 20_000;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
             RawWs flooder = RawWs.open(server.port(), "/echo");
             RawWs bystander = RawWs.open(server.port(), "/echo")) {
            Future<Integer> sent = threads.submit(() -> {
                int i = 0;
                try {
                    for (; i < pings; i++) flooder.send(frame(PING, ByteBuffer.allocate(4).putInt(i).array()));
                } catch (IOException cutOff) {
                    // the server may close a flooder that never reads its pongs (slow consumer)
                }
                return i;
            });
            for (int i = 0; i < 100; i++) {
                bystander.sendText("still served " + i);
                assertThat(bystander.readText()).isEqualTo("still served " + i);
            }
            sent.get();
            // Pongs must answer pings in order (the server may skip to the latest, RFC 6455 §5.5.3).
            int last = -1;
            flooder.readTimeout(Http.PATIENCE);
            try {
                while (last < pings - 1) {
                    WsFrames.Frame f = flooder.read();
                    if (f.opcode() == CLOSE) {
                        assertThat(f.closeCode()).as("a flooder may only be cut off as a slow consumer").isEqualTo(1008);
                        break;
                    }
                    assertThat(f.opcode()).isEqualTo(PONG);
                    int n = ByteBuffer.wrap(f.payload()).getInt();
                    assertThat(n).isGreaterThan(last);
                    last = n;
                }
            } catch (java.io.EOFException | java.net.SocketException ended) {
                // cut off after its close frame was dropped with the rest: allowed
            }
        }
    }

    static void awaitClients(long clients) throws Exception {
        long deadline = System.nanoTime() + Http.PATIENCE.toNanos();
        while (Stats.field(Stats.fetch(server), Stats.CLIENTS) != clients) {
            if (System.nanoTime() > deadline) throw new AssertionError("clients != " + clients + ": " + Stats.fetch(server));
            Thread.sleep(20);
        }
    }

    /** Waits until the {@code /stats} counter {@code field} reaches {@code atLeast}; returns its value then. */
    static long awaitCount(String field, long atLeast) throws Exception {
        long deadline = System.nanoTime() + Http.PATIENCE.toNanos();
        while (true) {
            long value = Stats.field(Stats.fetch(server), field);
            if (value >= atLeast) return value;
            if (System.nanoTime() > deadline) throw new AssertionError(field + " < " + atLeast + ": " + Stats.fetch(server));
            Thread.sleep(20);
        }
    }
}
