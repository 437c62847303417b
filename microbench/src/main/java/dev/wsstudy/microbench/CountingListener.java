package dev.wsstudy.microbench;

import dev.wsstudy.protocol.frame.FrameListener;
import java.nio.ByteBuffer;

/**
 * The cheapest honest {@link FrameListener}: counts frames and payload bytes, so a decoding
 * benchmark measures the decoder (header parsing, unmasking, slicing) and not what a session does
 * with the bytes afterwards. The counts also let tests check that every byte arrived.
 */
public final class CountingListener implements FrameListener {
    public long headers;
    public long frames;
    public long payloadBytes;

    @Override
    public void onFrameHeader(boolean fin, int opcode, long payloadLength) {
        headers++;
    }

    @Override
    public void onFramePayload(ByteBuffer payload) {
        payloadBytes += payload.remaining();
    }

    @Override
    public void onFrameEnd() {
        frames++;
    }
}
