package dev.wsstudy.app;

import dev.wsstudy.protocol.frame.FrameEncoder;
import dev.wsstudy.protocol.frame.Opcode;
import dev.wsstudy.protocol.frame.Utf8Validator;
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

    /**
     * Wraps an already encoded server data frame without copying it (cluster mode: a frame another
     * node encoded, read from Redis). The buffer's remaining bytes must be exactly one unmasked,
     * final text or binary frame with zero RSV bits and a minimal-or-not length field that matches
     * (RFC 6455 §5.2); a text payload must be valid UTF-8 (§8.1), so a foreign publisher cannot make
     * our clients fail with 1007. The caller must not change the bytes afterwards.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static PreparedMessage ofEncodedFrame(ByteBuffer frame) {
        ByteBuffer f = frame.slice();
        if (f.remaining() < 2) throw new IllegalArgumentException("shorter than a frame header");
        int b0 = f.get(0) & 0xFF;
        int b1 = f.get(1) & 0xFF;
        int opcode = b0 & 0x0F;
        if ((b0 & 0xF0) != 0x80) throw new IllegalArgumentException("not a final frame with RSV bits 0");
        if (opcode != Opcode.TEXT && opcode != Opcode.BINARY) throw new IllegalArgumentException("not a data frame");
        if ((b1 & 0x80) != 0) throw new IllegalArgumentException("masked (a client frame)");
        int len7 = b1 & 0x7F;
        int header = len7 == 126 ? 4 : len7 == 127 ? 10 : 2;
        if (f.remaining() < header) throw new IllegalArgumentException("truncated length field");
        long length = len7 == 126 ? f.getShort(2) & 0xFFFF : len7 == 127 ? f.getLong(2) : len7;
        if (length != f.remaining() - header) {
            throw new IllegalArgumentException("length field " + length + " but " + (f.remaining() - header) + " payload bytes");
        }
        boolean text = opcode == Opcode.TEXT;
        if (text && !Utf8Validator.isValid(f.slice(header, (int) length))) {
            throw new IllegalArgumentException("text payload is not valid UTF-8");
        }
        return new PreparedMessage(f, text, (int) length);
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
