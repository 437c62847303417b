package dev.wsstudy.app;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A complete data message. The payload buffer belongs to the session and is reused or released
 * after {@link Handler#onMessage} returns: copy what you keep.
 *
 * @param text    true for a text message (payload is valid UTF-8), false for binary
 * @param payload the message bytes, position 0
 */
public record Message(boolean text, ByteBuffer payload) {

    /** The payload decoded as UTF-8 (a copy). */
    public String asString() {
        return StandardCharsets.UTF_8.decode(payload.duplicate()).toString();
    }

    /** A copy of the payload bytes. */
    public byte[] toBytes() {
        byte[] bytes = new byte[payload.remaining()];
        payload.duplicate().get(bytes);
        return bytes;
    }
}
