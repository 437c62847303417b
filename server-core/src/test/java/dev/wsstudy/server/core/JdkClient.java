package dev.wsstudy.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The JDK's own WebSocket client, as this module's tests use it: whole messages are queued (text as
 * is, binary as "binary:LEN:HASH"), the close code and reason complete {@link #closed}.
 */
final class JdkClient implements WebSocket.Listener {
    /** What the server surely does arrives well within this, even on a busy machine. */
    static final Duration WAIT = Duration.ofSeconds(30);

    WebSocket ws;
    final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<String> closed = new CompletableFuture<>();
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

    static JdkClient connect(HttpClient http, int port, String path) {
        JdkClient c = new JdkClient();
        c.ws = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + path), c).join();
        return c;
    }

    @Override
    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            messages.add(text.toString());
            text.setLength(0);
        }
        w.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
        byte[] chunk = new byte[data.remaining()];
        data.get(chunk);
        binary.writeBytes(chunk);
        if (last) {
            byte[] all = binary.toByteArray();
            messages.add("binary:" + all.length + ":" + Arrays.hashCode(all));
            binary.reset();
        }
        w.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
        closed.complete(code + " " + reason);
        return null;
    }

    @Override
    public void onError(WebSocket w, Throwable error) {
        closed.complete("error " + error);
    }

    String next() throws InterruptedException {
        String m = messages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(m).as("a message within " + WAIT).isNotNull();
        return m;
    }

    String nextMatching(String fragment) throws InterruptedException {
        while (true) {
            String m = next();
            if (m.contains(fragment)) return m;
        }
    }
}
