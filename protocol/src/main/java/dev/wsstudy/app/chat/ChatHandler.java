package dev.wsstudy.app.chat;

import dev.wsstudy.app.Handler;
import dev.wsstudy.app.Message;
import dev.wsstudy.app.Peer;
import dev.wsstudy.app.PreparedMessage;
import dev.wsstudy.protocol.CloseCodes;

/**
 * One chat connection (docs/wire-protocol.md): INIT first, then chat, join and leave. Errors are
 * JSON {@code error} messages; the ones before a successful INIT also close with 1008. A chat
 * message is encoded once and the same frame goes to every member of the room, the sender included.
 * Runs on its connection's reader thread; other connections reach it only through its {@link Peer}.
 */
final class ChatHandler implements Handler {
    static final int MAX_ID_LENGTH = 64;

    private final RoomRegistry rooms;
    private final Peer peer;
    private RoomRegistry.Member member;
    private String initRoom;

    ChatHandler(RoomRegistry rooms, Peer peer) {
        this.rooms = rooms;
        this.peer = peer;
    }

    @Override
    public void onOpen() {
    }

    @Override
    public void onMessage(Message message) {
        if (!message.text()) {
            peer.close(CloseCodes.UNSUPPORTED_DATA, "binary messages are not accepted");
            return;
        }
        ChatJson.Incoming in = ChatJson.parse(message.toBytes());
        if (member == null) {
            init(in);
            return;
        }
        if (!in.valid()) {
            error("bad_json", "not a JSON object");
            return;
        }
        if (in.type() == null) {
            error("bad_message", "missing or mistyped \"type\"");
            return;
        }
        switch (in.type()) {
            case "chat" -> chat(in);
            case "join" -> join(in);
            case "leave" -> leave(in);
            case "init" -> error("already_initialized", "INIT was already accepted");
            default -> error("unknown_type", "unknown type: " + in.type());
        }
    }

    private void init(ChatJson.Incoming in) {
        if (in.valid() && in.type() != null && !in.type().equals("init")) {
            refuse("not_initialized", "the first message must be INIT");
            return;
        }
        if (!in.valid() || in.type() == null || !isId(in.clientId()) || !isId(in.roomId())) {
            refuse("bad_init", "INIT needs string clientId and roomId of 1 to 64 characters");
            return;
        }
        RoomRegistry.Member registered = rooms.register(in.clientId(), peer);
        if (registered == null) {
            refuse("duplicate_client_id", "clientId already connected: " + in.clientId());
            return;
        }
        member = registered;
        initRoom = in.roomId();
        int members = rooms.join(member, initRoom);
        // Tell the others before answering: once the client holds its welcome, every member who could
        // hear of this join already has; a client that joins later must not hear of it.
        rooms.broadcastExcept(initRoom, PreparedMessage.text(ChatJson.notice("join", member.clientId(), initRoom)), member);
        peer.send(PreparedMessage.text(ChatJson.welcome(member.clientId(), initRoom, members)));
    }

    private void chat(ChatJson.Incoming in) {
        String roomId = in.roomId() != null ? in.roomId() : initRoom;
        if (in.mistyped() || !in.hasBody()) {
            error("bad_message", "chat needs a body (and roomId, if given, must be a string)");
            return;
        }
        if (!member.isIn(roomId)) {
            error("not_in_room", "not in room: " + roomId);
            return;
        }
        rooms.broadcast(roomId, PreparedMessage.text(
                ChatJson.chat(roomId, member.clientId(), in.source(), in.bodyFrom(), in.bodyTo())));
    }

    private void join(ChatJson.Incoming in) {
        if (!isId(in.roomId())) {
            error("bad_message", "join needs a string roomId of 1 to 64 characters");
            return;
        }
        boolean already = member.isIn(in.roomId());
        int members = rooms.join(member, in.roomId());
        if (members < 0) {
            error("too_many_rooms", "a client may be in at most " + RoomRegistry.MAX_ROOMS_PER_CLIENT + " rooms");
            return;
        }
        if (!already) { // the others first, as in init()
            rooms.broadcastExcept(in.roomId(),
                    PreparedMessage.text(ChatJson.notice("join", member.clientId(), in.roomId())), member);
        }
        peer.send(PreparedMessage.text(ChatJson.joined(in.roomId(), members)));
    }

    private void leave(ChatJson.Incoming in) {
        if (in.roomId() == null) {
            error("bad_message", "leave needs a string roomId");
            return;
        }
        if (!rooms.leave(member, in.roomId())) {
            error("not_in_room", "not in room: " + in.roomId());
            return;
        }
        rooms.broadcast(in.roomId(), PreparedMessage.text(ChatJson.notice("leave", member.clientId(), in.roomId())));
        peer.send(PreparedMessage.text(ChatJson.left(in.roomId())));
    }

    @Override
    public void onClose(int code, String reason) {
        if (member == null) {
            return;
        }
        RoomRegistry.Member gone = member;
        member = null;
        for (String roomId : rooms.unregister(gone)) {
            rooms.broadcast(roomId, PreparedMessage.text(ChatJson.notice("leave", gone.clientId(), roomId)));
        }
    }

    private void error(String code, String text) {
        peer.send(PreparedMessage.text(ChatJson.error(code, text)));
    }

    /** An error before INIT succeeded: answer, then close 1008 (policy violation). */
    private void refuse(String code, String text) {
        error(code, text);
        peer.close(CloseCodes.POLICY_VIOLATION, code);
    }

    private static boolean isId(String s) {
        return s != null && !s.isEmpty() && s.length() <= MAX_ID_LENGTH;
    }
}
