package dev.wsstudy.protocol.testing;

import dev.wsstudy.app.Endpoint;
import dev.wsstudy.app.Handler;
import dev.wsstudy.app.Message;
import dev.wsstudy.app.Peer;
import dev.wsstudy.protocol.handshake.HttpRequestHead;
import java.util.ArrayList;
import java.util.List;

/** An endpoint whose handler records every event (for protocol tests that look at deliveries). */
public final class RecordingEndpoint implements Endpoint {

    /** A delivered message, copied. */
    public record Received(boolean text, byte[] payload) {
        public String string() {
            return new String(payload, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    public final List<Received> messages = new ArrayList<>();
    public final List<String> events = new ArrayList<>();
    public Peer peer;
    public HttpRequestHead request;
    public int closeCode = -1;
    public String closeReason;

    @Override
    public Handler open(Peer peer, HttpRequestHead request) {
        this.peer = peer;
        this.request = request;
        return new Handler() {
            @Override
            public void onOpen() {
                events.add("open");
            }

            @Override
            public void onMessage(Message message) {
                events.add("message");
                messages.add(new Received(message.text(), message.toBytes()));
            }

            @Override
            public void onClose(int code, String reason) {
                events.add("close");
                closeCode = code;
                closeReason = reason;
            }
        };
    }
}
