package dev.wsstudy.protocol.frame;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Records decoded frames and checks the callback grammar (header, payload*, end). */
class FrameCapture implements FrameListener {
    record Frame(boolean fin, int opcode, byte[] payload) {
    }

    final List<Frame> frames = new ArrayList<>();
    private boolean inFrame;
    private boolean fin;
    private int opcode;
    private long declared;
    private ByteArrayOutputStream payload;

    @Override
    public void onFrameHeader(boolean fin, int opcode, long payloadLength) {
        if (inFrame) {
            throw new AssertionError("header inside a frame");
        }
        inFrame = true;
        this.fin = fin;
        this.opcode = opcode;
        this.declared = payloadLength;
        this.payload = new ByteArrayOutputStream();
    }

    @Override
    public void onFramePayload(ByteBuffer piece) {
        if (!inFrame || !piece.hasRemaining() || piece.position() != 0) {
            throw new AssertionError("payload outside a frame, empty, or not at position 0");
        }
        byte[] b = new byte[piece.remaining()];
        piece.get(b);
        payload.write(b, 0, b.length);
    }

    @Override
    public void onFrameEnd() {
        if (!inFrame || payload.size() != declared) {
            throw new AssertionError("end without header or with " + payload.size() + " of " + declared + " bytes");
        }
        inFrame = false;
        frames.add(new Frame(fin, opcode, payload.toByteArray()));
    }

    boolean inFrame() {
        return inFrame;
    }
}
