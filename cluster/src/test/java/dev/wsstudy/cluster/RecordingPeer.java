package dev.wsstudy.cluster;

import dev.wsstudy.app.Peer;
import dev.wsstudy.app.PreparedMessage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A chat member's connection as the registry sees it, keeping the payload of every frame sent to it. */
final class RecordingPeer implements Peer {
    private static int next;

    private final String id = "p" + (++next);
    final List<String> received = new CopyOnWriteArrayList<>();

    @Override
    public String id() {
        return id;
    }

    @Override
    public boolean send(PreparedMessage message) {
        ByteBuffer frame = message.bytes();
        frame.position(frame.remaining() - message.payloadLength());
        received.add(StandardCharsets.UTF_8.decode(frame).toString());
        return true;
    }

    @Override
    public void close(int code, String reason) {
    }

    @Override
    public String remoteAddress() {
        return "";
    }
}
