package dev.wsstudy.servertests.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The JDK's own {@link java.net.http.WebSocket} client (a client we did not write), with a listener
 * that turns callbacks into a queue of whole messages the test can poll.
 */
public final class JdkWs implements WebSocket.Listener, AutoCloseable {
    /** One event as the client saw it. */
    public sealed interface Event permits Text, Binary, Pong, Closed, Failed {}
    public record Text(String text) implements Event {}
    public record Binary(byte[] bytes) implements Event {}
    public record Pong(byte[] bytes) implements Event {}
    public record Closed(int code, String reason) implements Event {}
    public record Failed(Throwable error) implements Event {}

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final StringBuilder textParts = new StringBuilder();
    private final java.io.ByteArrayOutputStream binaryParts = new java.io.ByteArrayOutputStream();
    public final WebSocket ws;

    private JdkWs(int port, String path) throws Exception {
        this.ws = HTTP.newWebSocketBuilder()
                .connectTimeout(Http.PATIENCE)
                .buildAsync(URI.create("ws://127.0.0.1:" + port + path), this)
                .get(Http.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    }

    public static JdkWs connect(int port, String path) throws Exception {
        return new JdkWs(port, path);
    }

    /** The next event, or an AssertionError after {@link Http#PATIENCE}. */
    public Event next() throws InterruptedException {
        Event e = events.poll(Http.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        if (e == null) throw new AssertionError("JDK client received nothing within " + Http.PATIENCE);
        return e;
    }

    public String nextText() throws InterruptedException {
        Event e = next();
        if (!(e instanceof Text t)) throw new AssertionError("expected a text message, got " + e);
        return t.text();
    }

    /**
     * Drops the connection if it is still open (a test that failed half-way), so that a client
     * left behind cannot make the next test's leak check fail too. After a close handshake it does
     * nothing.
     */
    @Override
    public void close() {
        ws.abort();
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        textParts.append(data);
        if (last) {
            events.add(new Text(textParts.toString()));
            textParts.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] chunk = new byte[data.remaining()];
        data.get(chunk);
        binaryParts.writeBytes(chunk);
        if (last) {
            events.add(new Binary(binaryParts.toByteArray()));
            binaryParts.reset();
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        byte[] bytes = new byte[message.remaining()];
        message.get(bytes);
        events.add(new Pong(bytes));
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        events.add(new Closed(statusCode, reason));
        return CompletableFuture.completedFuture(null); // the JDK then answers with the same close
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        events.add(new Failed(error));
    }
}
