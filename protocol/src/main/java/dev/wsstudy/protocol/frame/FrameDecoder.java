package dev.wsstudy.protocol.frame;

import dev.wsstudy.protocol.CloseCodes;
import java.nio.ByteBuffer;

/**
 * Incremental frame parser (RFC 6455 §5.2): a push parser that consumes whatever bytes it is
 * given, keeps partial headers (a length or mask key cut by a read) in an 8-byte accumulator, and
 * calls a {@link FrameListener}. A frame may be split across any number of calls and one call may
 * hold many frames. Payload bytes are unmasked <em>in place</em> in the caller's buffer and
 * handed out as slices of it: no copy, no allocation proportional to the payload.
 *
 * <p>This layer enforces the rules that a single frame header can break, each where the header
 * field is read. Every violation leaves through {@link #fail}, which throws a
 * {@link ProtocolException} with the close code and moves the decoder to {@code FAILED}:
 * <ol>
 *   <li>RSV1–3 must be 0: no extension is negotiated (§5.2) → 1002;</li>
 *   <li>the opcode must be defined (§5.2) → 1002;</li>
 *   <li>control frames must not be fragmented (§5.5) → 1002;</li>
 *   <li>frames from a client must be masked, from a server unmasked (§5.1) → 1002;</li>
 *   <li>control payloads are at most 125 bytes (§5.5) → 1002;</li>
 *   <li>a 64-bit length must have its most significant bit clear, and lengths use the minimal
 *       encoding (§5.2) → 1002;</li>
 *   <li>the length must not exceed {@code maxFrameBytes} → 1009, decided from the header,
 *       before a single payload byte is buffered.</li>
 * </ol>
 * Rules about sequences of frames (continuations, UTF-8, close payloads) are the next layer's.
 *
 * <p>Not thread-safe: one reader at a time. Its size does not depend on the frames.
 */
public final class FrameDecoder {

    private enum State { FIRST_BYTE, SECOND_BYTE, EXTENDED_LENGTH, MASKING_KEY, PAYLOAD, FAILED }

    private final boolean expectMasked;
    private final long maxFrameBytes;
    private State state = State.FIRST_BYTE;
    private boolean halted;
    private boolean fin;
    private int opcode;
    private boolean masked;
    private long accumulator;
    private int accumulated;
    private int lengthBytes;
    private long payloadLength;
    private long payloadDone;
    private int maskKey;

    /**
     * @param expectMasked  true on a server (client frames are masked), false on a client
     * @param maxFrameBytes frames declaring a longer payload fail with 1009
     */
    public FrameDecoder(boolean expectMasked, long maxFrameBytes) {
        this.expectMasked = expectMasked;
        this.maxFrameBytes = maxFrameBytes;
    }

    /** A decoder for a server: masked client frames expected. */
    public static FrameDecoder forServer(long maxFrameBytes) {
        return new FrameDecoder(true, maxFrameBytes);
    }

    /** A decoder for a client (tests, tools): unmasked server frames expected. */
    public static FrameDecoder forClient(long maxFrameBytes) {
        return new FrameDecoder(false, maxFrameBytes);
    }

    /**
     * Consumes {@code in} until it is empty, the decoder failed, or the listener called
     * {@link #halt()}. Throws {@link ProtocolException} on a violation.
     */
    public void decode(ByteBuffer in, FrameListener listener) {
        while (!halted && in.hasRemaining()) {
            switch (state) {
                case FIRST_BYTE -> firstByte(in.get());
                case SECOND_BYTE -> secondByte(in.get(), listener);
                case EXTENDED_LENGTH -> extendedLength(in, listener);
                case MASKING_KEY -> maskingKey(in, listener);
                case PAYLOAD -> payload(in, listener);
                case FAILED -> {
                    return;
                }
            }
        }
    }

    /** Stops {@link #decode} after the current callback; further input is ignored. */
    public void halt() {
        halted = true;
    }

    /** Whether the decoder is between frames (nothing of a frame has been read). */
    public boolean isAtFrameBoundary() {
        return state == State.FIRST_BYTE;
    }

    private void firstByte(byte b) {
        fin = (b & 0x80) != 0;
        opcode = b & 0x0F;
        if ((b & 0x70) != 0) {
            fail(CloseCodes.PROTOCOL_ERROR, "RSV bits set without a negotiated extension (RFC 6455 5.2)");
        }
        if (!Opcode.isDefined(opcode)) {
            fail(CloseCodes.PROTOCOL_ERROR, "reserved opcode " + opcode + " (RFC 6455 5.2)");
        }
        if (Opcode.isControl(opcode) && !fin) {
            fail(CloseCodes.PROTOCOL_ERROR, "fragmented control frame (RFC 6455 5.5)");
        }
        state = State.SECOND_BYTE;
    }

    private void secondByte(byte b, FrameListener listener) {
        masked = (b & 0x80) != 0;
        if (masked != expectMasked) {
            fail(CloseCodes.PROTOCOL_ERROR, expectMasked
                    ? "unmasked client frame (RFC 6455 5.1)" : "masked server frame (RFC 6455 5.1)");
        }
        int length7 = b & 0x7F;
        if (Opcode.isControl(opcode) && length7 > 125) {
            fail(CloseCodes.PROTOCOL_ERROR, "control frame payload over 125 bytes (RFC 6455 5.5)");
        }
        accumulator = 0;
        accumulated = 0;
        if (length7 == 126) {
            lengthBytes = 2;
            state = State.EXTENDED_LENGTH;
        } else if (length7 == 127) {
            lengthBytes = 8;
            state = State.EXTENDED_LENGTH;
        } else {
            lengthKnown(length7, listener);
        }
    }

    private void extendedLength(ByteBuffer in, FrameListener listener) {
        if (!accumulate(in, lengthBytes)) {
            return;
        }
        long length = accumulator;
        if (lengthBytes == 8 && length < 0) {
            fail(CloseCodes.PROTOCOL_ERROR, "64-bit payload length with the most significant bit set (RFC 6455 5.2)");
        }
        if ((lengthBytes == 2 && length < 126) || (lengthBytes == 8 && length <= 0xFFFF)) {
            fail(CloseCodes.PROTOCOL_ERROR, "payload length not in its minimal encoding (RFC 6455 5.2)");
        }
        lengthKnown(length, listener);
    }

    private void lengthKnown(long length, FrameListener listener) {
        if (length > maxFrameBytes) {
            fail(CloseCodes.TOO_BIG, "frame of " + length + " bytes exceeds the limit of " + maxFrameBytes);
        }
        payloadLength = length;
        payloadDone = 0;
        if (masked) {
            accumulator = 0;
            accumulated = 0;
            state = State.MASKING_KEY;
        } else {
            startPayload(listener);
        }
    }

    private void maskingKey(ByteBuffer in, FrameListener listener) {
        if (accumulate(in, 4)) {
            maskKey = (int) accumulator;
            startPayload(listener);
        }
    }

    private void startPayload(FrameListener listener) {
        state = payloadLength == 0 ? State.FIRST_BYTE : State.PAYLOAD;
        listener.onFrameHeader(fin, opcode, payloadLength);
        if (payloadLength == 0) {
            listener.onFrameEnd();
        }
    }

    private void payload(ByteBuffer in, FrameListener listener) {
        int n = (int) Math.min(in.remaining(), payloadLength - payloadDone);
        int from = in.position();
        if (masked) {
            Masking.unmask(in, from, from + n, maskKey, payloadDone);
        }
        in.position(from + n);
        payloadDone += n;
        boolean last = payloadDone == payloadLength;
        if (last) {
            state = State.FIRST_BYTE;
        }
        listener.onFramePayload(in.slice(from, n));
        if (last) {
            listener.onFrameEnd();
        }
    }

    /** Big-endian accumulation of a field cut by read boundaries; true once {@code size} bytes are in. */
    private boolean accumulate(ByteBuffer in, int size) {
        while (accumulated < size && in.hasRemaining()) {
            accumulator = (accumulator << 8) | (in.get() & 0xFF);
            accumulated++;
        }
        return accumulated == size;
    }

    /** The one exit for violations: remember the failure, and throw the close code to the caller. */
    private void fail(int closeCode, String why) {
        state = State.FAILED;
        throw new ProtocolException(closeCode, why);
    }
}
