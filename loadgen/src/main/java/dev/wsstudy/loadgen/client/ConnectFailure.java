package dev.wsstudy.loadgen.client;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;

import java.net.BindException;
import java.net.ConnectException;
import java.net.SocketException;
import java.util.Locale;

/** A failed connection attempt, with a short kind for {@code errorKinds}. */
public final class ConnectFailure extends Exception {
    public final String kind;

    public ConnectFailure(String kind, String message) {
        super(kind + ": " + message, null, false, false);
        this.kind = kind;
    }

    /** Maps a connect or I/O exception to a stable kind name. */
    public static ConnectFailure classify(Throwable t, boolean duringSetup) {
        if (t instanceof ConnectFailure f) return f;
        String msg = String.valueOf(t.getMessage());
        String lower = msg.toLowerCase(Locale.ROOT);
        String kind;
        if (t instanceof WebSocketClientHandshakeException) kind = "handshake-rejected";
        else if (t instanceof ConnectTimeoutException) kind = "connect-timeout";
        else if (lower.contains("too many open files")) kind = "fd-limit";
        else if (lower.contains("cannot assign requested address")) kind = "no-local-port";
        else if (t instanceof BindException) kind = "bind-failed";
        else if (t instanceof ConnectException) kind = lower.contains("refused") ? "connect-refused" : "connect-failed";
        else if (lower.contains("reset")) kind = duringSetup ? "reset-during-setup" : "connection-reset";
        else if (t instanceof SocketException) kind = "socket-error";
        else kind = duringSetup ? "setup-error" : "io-error";
        return new ConnectFailure(kind, msg);
    }
}
