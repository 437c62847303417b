package dev.wsstudy.server.core;

import dev.wsstudy.protocol.session.SessionEvents;

/**
 * Turns a session's log-worthy moments into the shared log lines and /stats counters, so the
 * three servers report bad input identically. One small object per connection (it carries the
 * remote address for the log line); called on whichever thread drives the session.
 */
final class ConnectionEvents implements SessionEvents {

    private final ServerContext ctx;
    private final String remote;

    ConnectionEvents(ServerContext ctx, String remote) {
        this.ctx = ctx;
        this.remote = remote;
    }

    @Override
    public void opened(String path) {
        if (ctx.config.logConnections()) ctx.log.info("connection-opened", "remote", remote, "path", path);
    }

    @Override
    public void httpServed(String method, String target, int status) {
        if (ctx.config.logConnections()) {
            ctx.log.info("http-served", "remote", remote, "method", method, "target", target, "status", status);
        }
    }

    @Override
    public void handshakeRejected(int status, String why) {
        ctx.stats.handshakesRejected.increment();
        ctx.log.warn("handshake-rejected", "remote", remote, "status", status, "why", why);
    }

    @Override
    public void protocolError(int closeCode, String why) {
        ctx.stats.protocolErrors.increment();
        ctx.log.warn("protocol-error", "remote", remote, "code", closeCode, "why", why);
    }

    @Override
    public void timedOut(String what) {
        // An idle client is ordinary; a handshake or close that never completes is a broken peer.
        if ("handshake".equals(what)) ctx.stats.handshakesRejected.increment();
        if ("idle".equals(what)) {
            ctx.log.info("timeout", "remote", remote, "what", what);
        } else {
            ctx.log.warn("timeout", "remote", remote, "what", what);
        }
    }

    @Override
    public void handlerFailed(Throwable error) {
        ctx.log.error("handler-error", "remote", remote, "error", String.valueOf(error));
    }

    @Override
    public void closed(int code, String reason) {
        if (ctx.config.logConnections()) {
            ctx.log.info("connection-closed", "remote", remote, "code", code, "reason", reason);
        }
    }
}
