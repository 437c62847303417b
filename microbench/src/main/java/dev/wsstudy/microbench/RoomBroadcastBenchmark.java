package dev.wsstudy.microbench;

import dev.wsstudy.app.PreparedMessage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One chat broadcast: the registry lookup of the room's members plus preparing the frame for each
 * member's transport, for rooms of 1, 100 and 10,000 members (docs/architecture.md: a broadcast is
 * a {@code PreparedMessage}, encoded once and shared).
 * <ul>
 *   <li>{@code encodeOnceShared}: encode the text frame once, hand every member a view of it;</li>
 *   <li>{@code encodePerMember}: the message is given (encoded in setup), every member encodes its
 *       own copy of the frame from the payload.</li>
 * </ul>
 * Score: broadcasts per second; deliveries per second = score × members. Members are
 * {@link RoomFixture.CountingPeer}s (no outbox, no socket): see {@link RoomFixture}.
 */
@State(Scope.Thread)
public class RoomBroadcastBenchmark extends StandardRun {

    @Param({"1", "100", "10000"})
    public int members;

    @Param({"125", "4096"})
    public int payloadBytes;

    RoomFixture shared;
    RoomFixture perMember;
    byte[] text;
    PreparedMessage given;

    @Setup
    public void setup() {
        shared = new RoomFixture(members, RoomFixture.Delivery.SHARED);
        perMember = new RoomFixture(members, RoomFixture.Delivery.ENCODE_PER_MEMBER);
        text = Payloads.text(Payloads.Text.ASCII, payloadBytes, 7);
        given = PreparedMessage.text(text);
    }

    @Benchmark
    public int encodeOnceShared() {
        return shared.registry.broadcast(RoomFixture.ROOM, PreparedMessage.text(text));
    }

    @Benchmark
    public int encodePerMember() {
        return perMember.registry.broadcast(RoomFixture.ROOM, given);
    }
}
