package dev.wsstudy.peer.netty;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The JDK's own WebSocket client, a client neither Netty nor we wrote: collects every whole message
 * it receives as "text:..." or "binary:<hex>", so a test can check both payload and type.
 */
final class EchoClient implements WebSocket.Listener, AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();

    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final StringBuilder text = new StringBuilder();
    private final java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();
    private final WebSocket ws;

    EchoClient(String url) throws Exception {
        ws = HTTP.newWebSocketBuilder().connectTimeout(TIMEOUT).buildAsync(URI.create(url), this)
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    static int healthStatus(String base) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/health")).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    String echoText(String s) throws Exception {
        ws.sendText(s, true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        return next();
    }

    String echoBinary(byte[] b) throws Exception {
        ws.sendBinary(ByteBuffer.wrap(b), true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        return next();
    }

    static String hex(byte[] b) {
        return java.util.HexFormat.of().formatHex(b);
    }

    private String next() throws InterruptedException {
        String s = received.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        return s == null ? "nothing within " + TIMEOUT.toSeconds() + " s" : s;
    }

    @Override
    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            received.add("text:" + text);
            text.setLength(0);
        }
        w.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
        byte[] b = new byte[data.remaining()];
        data.get(b);
        binary.writeBytes(b);
        if (last) {
            received.add("binary:" + hex(binary.toByteArray()));
            binary.reset();
        }
        w.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
        received.add("closed:" + code);
        return null;
    }

    @Override
    public void onError(WebSocket w, Throwable error) {
        received.add("error:" + error);
    }

    @Override
    public void close() {
        ws.abort();
    }
}
