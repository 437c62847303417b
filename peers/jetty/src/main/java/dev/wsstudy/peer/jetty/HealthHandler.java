package dev.wsstudy.peer.jetty;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Plain HTTP: {@code GET /health} answers 200 (the suite waits for it), anything else 404. */
final class HealthHandler extends Handler.Abstract.NonBlocking {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        boolean health = "GET".equals(request.getMethod()) && "/health".equals(Request.getPathInContext(request));
        response.setStatus(health ? HttpStatus.OK_200 : HttpStatus.NOT_FOUND_404);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=us-ascii");
        response.write(true, ByteBuffer.wrap((health ? "ok\n" : "not found\n").getBytes(StandardCharsets.US_ASCII)),
                callback);
        return true;
    }
}
