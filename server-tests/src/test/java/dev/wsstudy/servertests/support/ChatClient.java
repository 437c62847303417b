package dev.wsstudy.servertests.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;

/** A chat-room client (docs/wire-protocol.md, {@code /chat}) over {@link RawWs}: JSON text frames in and out. */
public final class ChatClient implements Closeable {
    public final RawWs ws;
    public final String clientId;

    private ChatClient(RawWs ws, String clientId) {
        this.ws = ws;
        this.clientId = clientId;
    }

    /** Connects to {@code /chat} without sending anything yet. */
    public static ChatClient connect(int port, String clientId) throws IOException {
        return new ChatClient(RawWs.open(port, "/chat"), clientId);
    }

    /** Upgrades an already connected socket (socket options set by the caller) to {@code /chat}. */
    public static ChatClient connect(java.net.Socket socket, int port, String clientId) throws IOException {
        return new ChatClient(RawWs.open(socket, port, "/chat"), clientId);
    }

    /** Connects, sends INIT for {@code roomId}, and checks the {@code welcome} answer. */
    public static ChatClient join(int port, String clientId, String roomId) throws IOException {
        ChatClient c = connect(port, clientId);
        JsonNode welcome = c.init(roomId);
        if (!"welcome".equals(welcome.path("type").asText())) {
            c.close();
            throw new AssertionError(clientId + ": INIT for " + roomId + " answered " + welcome);
        }
        return c;
    }

    /**
     * Like {@link #join}, for load only: room traffic (join notices, other members' chats) that
     * reaches the client before its welcome is skipped (docs/wire-protocol.md allows it).
     */
    public static ChatClient joinBusyRoom(int port, String clientId, String roomId) throws IOException {
        ChatClient c = connect(port, clientId);
        c.send(obj("init").put("clientId", clientId).put("roomId", roomId));
        JsonNode answer = c.next();
        // The client is a member from the moment the server takes its INIT (docs/wire-protocol.md), so
        // other members' join, leave and chat messages may arrive before the welcome.
        while (isRoomTraffic(answer)) answer = c.next();
        if (!"welcome".equals(answer.path("type").asText())) {
            c.close();
            throw new AssertionError(clientId + ": INIT for " + roomId + " answered " + answer);
        }
        return c;
    }

    /**
     * Sends INIT and returns the answer. {@code join} notices of members joining the same room at the
     * same moment may arrive before the answer (docs/wire-protocol.md) and are skipped; in a room
     * where members chat or leave meanwhile, use {@link #joinBusyRoom}.
     */
    public JsonNode init(String roomId) throws IOException {
        send(obj("init").put("clientId", clientId).put("roomId", roomId));
        JsonNode answer = next();
        while ("join".equals(answer.path("type").asText())) answer = next();
        return answer;
    }

    static boolean isRoomTraffic(JsonNode m) {
        String type = m.path("type").asText();
        return type.equals("join") || type.equals("leave") || type.equals("chat");
    }

    public void chat(String roomId, JsonNode body) throws IOException {
        ObjectNode m = obj("chat");
        if (roomId != null) m.put("roomId", roomId);
        m.set("body", body);
        send(m);
    }

    public void send(JsonNode message) throws IOException {
        ws.sendText(Stats.JSON.writeValueAsString(message));
    }

    /** The next message, which must be a JSON text frame. */
    public JsonNode next() throws IOException {
        return Stats.JSON.readTree(ws.readText());
    }

    public static ObjectNode obj(String type) {
        return Stats.JSON.createObjectNode().put("type", type);
    }

    @Override
    public void close() throws IOException {
        ws.close();
    }
}
