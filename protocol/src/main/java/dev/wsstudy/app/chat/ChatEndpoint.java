package dev.wsstudy.app.chat;

import dev.wsstudy.app.Endpoint;
import dev.wsstudy.app.Handler;
import dev.wsstudy.app.Peer;
import dev.wsstudy.protocol.handshake.HttpRequestHead;

/** {@code /chat}: the rooms application (docs/wire-protocol.md), one {@link ChatHandler} per connection. */
public final class ChatEndpoint implements Endpoint {
    private final RoomRegistry rooms;

    public ChatEndpoint(RoomRegistry rooms) {
        this.rooms = rooms;
    }

    @Override
    public Handler open(Peer peer, HttpRequestHead request) {
        return new ChatHandler(rooms, peer);
    }

    public RoomRegistry rooms() {
        return rooms;
    }
}
