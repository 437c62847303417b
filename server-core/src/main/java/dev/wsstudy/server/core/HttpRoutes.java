package dev.wsstudy.server.core;

import dev.wsstudy.protocol.HttpResponder;
import dev.wsstudy.protocol.handshake.HttpRequestHead;
import dev.wsstudy.protocol.handshake.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The plain-HTTP routes of every server (docs/wire-protocol.md): {@code GET /health} (readiness),
 * {@code GET /stats} (JSON counters) and {@code GET /} (the demo chat page). Anything else is "not
 * mine" and the session answers 404; upgrades to {@code /echo} and {@code /chat} never get here.
 * Runs on the connection's reader thread (or the event loop): it must not block, and it does not.
 */
public final class HttpRoutes implements HttpResponder {

    static final String DEMO_PAGE = "demo.html";

    private final Stats stats;
    private final byte[] demoPage;

    public HttpRoutes(Stats stats) {
        this.stats = stats;
        this.demoPage = resource(DEMO_PAGE);
    }

    @Override
    public HttpResponse respond(HttpRequestHead request) {
        if (!"GET".equals(request.method())) {
            return HttpResponse.status(405, "only GET is served here").withHeader("Allow", "GET");
        }
        return switch (request.path()) {
            case "/health" -> HttpResponse.ok("text/plain; charset=utf-8", "ok".getBytes(StandardCharsets.UTF_8));
            case "/stats" -> HttpResponse.ok("application/json", stats.toJson())
                    .withHeader("Cache-Control", "no-store");
            case "/", "/index.html" -> HttpResponse.ok("text/html; charset=utf-8", demoPage);
            default -> null;
        };
    }

    private static byte[] resource(String name) {
        try (InputStream in = HttpRoutes.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing classpath resource " + name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
