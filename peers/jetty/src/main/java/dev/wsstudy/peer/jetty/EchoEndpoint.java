package dev.wsstudy.peer.jetty;

import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One connection's echo, with Jetty's listener API: whole messages in (Jetty aggregates fragments),
 * the same message type out. Auto-demanding: Jetty reads the next frame when a handler returns. A
 * binary message's buffer belongs to Jetty until its callback completes, so that callback is handed
 * to the send and completes when the echo has been written. Public: Jetty binds the listener
 * methods through method handles.
 */
public final class EchoEndpoint implements Session.Listener.AutoDemanding {
    private Session session;

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
    }

    @Override
    public void onWebSocketText(String message) {
        session.sendText(message, Callback.NOOP);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        session.sendBinary(payload, callback);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        System.err.println("peer-jetty: " + (session == null ? "?" : session.getRemoteSocketAddress()) + ": " + cause);
    }
}
