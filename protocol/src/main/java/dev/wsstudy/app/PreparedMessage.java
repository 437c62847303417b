package dev.wsstudy.app;

import dev.wsstudy.protocol.frame.FrameEncoder;
import dev.wsstudy.protocol.frame.Opcode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A server data frame encoded once, to be sent to any number of connections: a broadcast to a
 * room of 1,000 costs one encoding and 1,000 buffer duplicates, not 1,000 copies. Immutable.
 */
public final class PreparedMessage {
    private final ByteBuffer frame;
    private final boolean text;
    private final int payloadLength;

    private PreparedMessage(ByteBuffer frame, boolean text, int payloadLength) {
        this.frame = frame.asReadOnlyBuffer();
        this.text = text;
        this.payloadLength = payloadLength;
    }

    /** A text frame with {@code text} in UTF-8. */
    public static PreparedMessage text(String text) {
        return text(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A text frame with these bytes, which must be valid UTF-8 (not re-checked). */
    public static PreparedMessage text(byte[] utf8) {
        return new PreparedMessage(FrameEncoder.serverFrame(Opcode.TEXT, true, utf8, 0, utf8.length), true, utf8.length);
    }

    /** A binary frame with a copy of {@code payload}'s remaining bytes (its position is not moved). */
    public static PreparedMessage binary(ByteBuffer payload) {
        return new PreparedMessage(FrameEncoder.serverFrame(Opcode.BINARY, true, payload), false, payload.remaining());
    }

    /** A frame of the given kind with a copy of {@code payload}'s remaining bytes. */
    public static PreparedMessage of(boolean text, ByteBuffer payload) {
        return new PreparedMessage(FrameEncoder.serverFrame(text ? Opcode.TEXT : Opcode.BINARY, true, payload),
                text, payload.remaining());
    }

    /** The encoded frame: a fresh read-only view of the shared bytes, positioned at the start. */
    public ByteBuffer bytes() {
        return frame.duplicate();
    }

    public boolean isText() {
        return text;
    }

    /** Payload bytes (without the frame header). */
    public int payloadLength() {
        return payloadLength;
    }

    /** Frame bytes on the wire. */
    public int frameLength() {
        return frame.remaining();
    }
}
