package dev.wsstudy.microbench;

import dev.wsstudy.app.Peer;
import dev.wsstudy.app.PreparedMessage;
import dev.wsstudy.app.RoomBus;
import dev.wsstudy.app.chat.RoomRegistry;
import dev.wsstudy.protocol.frame.FrameEncoder;
import dev.wsstudy.protocol.frame.Opcode;
import java.nio.ByteBuffer;

/**
 * One chat room in the real {@link RoomRegistry}, its members being {@link CountingPeer}s that stand
 * in for connections: a peer takes what a server's peer hands its transport and counts the bytes,
 * without the outbox (its lock and queue cost the same in both delivery modes, so leaving it out
 * shows the difference between them). Single-threaded, like the event loop's use of the registry.
 */
public final class RoomFixture {
    public static final String ROOM = "lobby";

    /** How a broadcast reaches the members' transports. */
    public enum Delivery {
        /** The chat application's way: one {@link PreparedMessage}, each member gets a view of its bytes. */
        SHARED,
        /** The naive way: every member encodes its own frame from the message's payload (a copy each). */
        ENCODE_PER_MEMBER
    }

    public final RoomRegistry registry = new RoomRegistry(RoomBus.LOCAL);
    private final CountingPeer[] peers;

    public RoomFixture(int members, Delivery delivery) {
        peers = new CountingPeer[members];
        for (int i = 0; i < members; i++) {
            peers[i] = new CountingPeer("c" + i, delivery);
            RoomRegistry.Member m = registry.register("client-" + i, peers[i]);
            registry.join(m, ROOM);
        }
    }

    /** The member peer at {@code index} (join order). */
    CountingPeer peer(int index) {
        return peers[index];
    }

    /** Frames delivered to all members so far. */
    public long deliveredFrames() {
        long n = 0;
        for (CountingPeer p : peers) {
            n += p.frames;
        }
        return n;
    }

    /** Frame bytes delivered to all members so far. */
    public long deliveredBytes() {
        long n = 0;
        for (CountingPeer p : peers) {
            n += p.bytes;
        }
        return n;
    }

    /** A connection reduced to counting: what it was handed, and a reference to the last frame. */
    static final class CountingPeer implements Peer {
        private final String id;
        private final Delivery delivery;
        long frames;
        long bytes;
        ByteBuffer last; // keeps the frame reachable, as a queued outbox entry would

        CountingPeer(String id, Delivery delivery) {
            this.id = id;
            this.delivery = delivery;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public boolean send(PreparedMessage message) {
            ByteBuffer frame = message.bytes();
            if (delivery == Delivery.ENCODE_PER_MEMBER) {
                frame.position(message.frameLength() - message.payloadLength());
                frame = FrameEncoder.serverFrame(message.isText() ? Opcode.TEXT : Opcode.BINARY, true, frame);
            }
            frames++;
            bytes += frame.remaining();
            last = frame;
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
}
