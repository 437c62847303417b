package dev.wsstudy.protocol.frame;

import java.nio.ByteBuffer;

/**
 * Receives what a {@link FrameDecoder} parses. For each frame the calls follow the grammar
 * <pre>  onFrameHeader onFramePayload* onFrameEnd</pre>
 * where the payload pieces are already unmasked and together are exactly the declared length
 * (zero pieces for an empty payload). A piece is valid only during the call.
 */
public interface FrameListener {

    /** The header is complete and passed the frame-level rules (§5.2, §5.5). */
    void onFrameHeader(boolean fin, int opcode, long payloadLength);

    /** The next piece of the payload, unmasked; position 0, never empty. */
    void onFramePayload(ByteBuffer payload);

    /** The frame's last payload byte has been delivered. */
    void onFrameEnd();
}
