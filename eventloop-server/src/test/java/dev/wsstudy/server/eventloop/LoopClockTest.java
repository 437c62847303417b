package dev.wsstudy.server.eventloop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsstudy.server.core.ServerContext;
import dev.wsstudy.server.core.ServerOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The loop's clock when a connection arrives behind a stalled loop. {@code select(Consumer)} runs
 * the ready keys inside {@code select}; a connection accepted there once took the time read after
 * the <em>previous</em> select, older by every handler that ran before it, so its handshake timeout
 * had already run out and the next timer check cut it off unread (seen in a suite run as a spurious
 * {@code timeout what=handshake} on a {@code GET /stats} after the loop had not been scheduled
 * for 15 s).
 *
 * <p>{@code --work-block-ms} stalls the loop on purpose and makes the order certain: while the loop
 * sleeps on C's message, A's message and then B's connection arrive, so the next select hands the
 * loop A first (another full stall) and B's accept after it, in one batch.
 */
class LoopClockTest {

    private static final int HANDSHAKE_TIMEOUT_MS = 2000;
    private static final int WORK_BLOCK_MS = 2500; // longer than the handshake timeout

    private EventLoopServer server;
    private int port;

    @BeforeEach
    void start() throws IOException {
        server = new EventLoopServer(new ServerContext(ServerOptions.parse("eventloop", "--port", "0",
                "--handshake-timeout-ms", String.valueOf(HANDSHAKE_TIMEOUT_MS),
                "--work-block-ms", String.valueOf(WORK_BLOCK_MS))));
        port = server.start().getPort();
    }

    @AfterEach
    void stop() {
        server.shutdown(2000);
    }

    @Test
    void aConnectionAcceptedBehindAStalledHandlerGetsItsWholeHandshakeTimeout() throws Exception {
        try (Socket c = upgraded(); Socket a = upgraded()) {
            c.getOutputStream().write(maskedTextFrame("c")); // the loop now sleeps WORK_BLOCK_MS
            Thread.sleep(WORK_BLOCK_MS / 2);
            a.getOutputStream().write(maskedTextFrame("a")); // ready before B: handled first, stalls again
            try (Socket b = new Socket()) {
                b.connect(new InetSocketAddress("127.0.0.1", port));
                b.setSoTimeout(30_000);
                b.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                // Before the fix: end of stream (closed as a handshake timeout, request unread).
                assertThat(new String(b.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1))
                        .startsWith("HTTP/1.1 200");
            }
        }
        assertThat(server.ctx.stats.handshakesRejected.sum()).isZero();
    }

    private Socket upgraded() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port));
        s.setSoTimeout(30_000);
        s.getOutputStream().write(("GET /echo HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int ch = in.read();
            if (ch < 0) throw new IOException("closed during the handshake: " + head);
            head.append((char) ch);
        }
        assertThat(head.toString()).startsWith("HTTP/1.1 101");
        return s;
    }

    /** Masking key 0: the payload goes out as is, and the frame is still a valid masked frame. */
    private static byte[] maskedTextFrame(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(2 + 4 + payload.length);
        b.put((byte) 0x81).put((byte) (0x80 | payload.length)).putInt(0).put(payload);
        return b.array();
    }
}
