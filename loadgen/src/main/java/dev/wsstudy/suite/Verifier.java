package dev.wsstudy.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Verify before benchmarking: one echo round trip on {@code /echo} and one chat INIT answered by
 * {@code welcome} on {@code /chat} (docs/wire-protocol.md), with the JDK's own WebSocket client, an
 * implementation independent of both our servers and the Netty-based loadgen. A target that fails
 * gets a recorded failure instead of numbers.
 */
final class Verifier {
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    private Verifier() {}

    /** Thrown with the reason the cell is recorded as failed. */
    static final class VerifyFailure extends Exception {
        VerifyFailure(String message) {
            super(message);
        }
    }

    static void echo(String url) throws VerifyFailure {
        String payload = "wsstudy verify " + System.nanoTime();
        String got = roundTrip(url, payload);
        if (!payload.equals(got)) {
            throw new VerifyFailure("verification failed: " + url + " echoed '" + abbreviate(got) + "' for '" + payload + "'");
        }
    }

    static void chatInit(String url) throws VerifyFailure {
        String client = "wsstudy-verify-" + System.nanoTime();
        String init = "{\"type\":\"init\",\"clientId\":\"" + client + "\",\"roomId\":\"wsstudy-verify\"}";
        String got = roundTrip(url, init);
        try {
            JsonNode n = JSON.readTree(got);
            if ("welcome".equals(n.path("type").asText()) && client.equals(n.path("clientId").asText())) {
                return;
            }
        } catch (java.io.IOException e) {
            // falls through to the failure below, with what the server sent
        }
        throw new VerifyFailure("verification failed: " + url + " answered INIT with '" + abbreviate(got)
                + "' instead of a welcome");
    }

    /** Connects, sends one text message, returns the first text message received, closes. */
    private static String roundTrip(String url, String text) throws VerifyFailure {
        CompletableFuture<String> reply = new CompletableFuture<>();
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    reply.complete(partial.toString());
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
                reply.completeExceptionally(new IllegalStateException("closed " + code + " " + reason));
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                reply.completeExceptionally(error);
            }
        };
        WebSocket ws = null;
        try {
            ws = HTTP.newWebSocketBuilder().connectTimeout(TIMEOUT).buildAsync(URI.create(url), listener)
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            ws.sendText(text, true).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return reply.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new VerifyFailure("verification failed: " + url + ": " + rootMessage(e));
        } catch (TimeoutException e) {
            throw new VerifyFailure("verification failed: " + url + ": no answer within " + TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VerifyFailure("verification interrupted");
        } finally {
            if (ws != null) {
                try {
                    ws.sendClose(WebSocket.NORMAL_CLOSURE, "verified").get(1, TimeUnit.SECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    // the answer was already judged; a slow close is not a verification failure
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ws.abort();
            }
        }
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    private static String abbreviate(String s) {
        return s == null ? "null" : s.length() > 120 ? s.substring(0, 120) + "…" : s;
    }
}
