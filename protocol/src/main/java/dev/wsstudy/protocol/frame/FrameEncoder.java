package dev.wsstudy.protocol.frame;

import dev.wsstudy.protocol.CloseCodes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes frames (RFC 6455 §5.2). Servers send unmasked frames; clients (tests, tools) send masked
 * ones (§5.1). Lengths always use the minimal encoding. The results are flipped heap buffers
 * holding the whole frame, ready to hand to a transport.
 */
public final class FrameEncoder {
    /** Close reasons must fit a control frame: 125 bytes minus the 2-byte code (§5.5.1). */
    public static final int MAX_CLOSE_REASON_BYTES = 123;

    private FrameEncoder() {
    }

    /** Header bytes for a payload of {@code length} (2, 4 or 10, plus 4 when masked). */
    public static int headerLength(long length, boolean masked) {
        int size = length <= 125 ? 2 : length <= 0xFFFF ? 4 : 10;
        return masked ? size + 4 : size;
    }

    /**
     * Writes a frame header at {@code dst}'s position. {@code rsv} holds the three RSV bits in its
     * low bits (always 0 for this project; tests set them to provoke errors).
     */
    public static void writeHeader(ByteBuffer dst, boolean fin, int rsv, int opcode, long length,
                                   boolean masked, int maskKey) {
        dst.put((byte) ((fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 0x0F)));
        int maskBit = masked ? 0x80 : 0;
        if (length <= 125) {
            dst.put((byte) (maskBit | length));
        } else if (length <= 0xFFFF) {
            dst.put((byte) (maskBit | 126)).putShort((short) length);
        } else {
            dst.put((byte) (maskBit | 127)).putLong(length);
        }
        if (masked) {
            dst.putInt(maskKey);
        }
    }

    /** An unmasked frame with {@code payload}'s remaining bytes (its position is not moved). */
    public static ByteBuffer serverFrame(int opcode, boolean fin, ByteBuffer payload) {
        int length = payload.remaining();
        ByteBuffer frame = ByteBuffer.allocate(headerLength(length, false) + length);
        writeHeader(frame, fin, 0, opcode, length, false, 0);
        frame.put(payload.duplicate());
        return frame.flip();
    }

    /** An unmasked frame with {@code payload[offset, offset+length)}. */
    public static ByteBuffer serverFrame(int opcode, boolean fin, byte[] payload, int offset, int length) {
        ByteBuffer frame = ByteBuffer.allocate(headerLength(length, false) + length);
        writeHeader(frame, fin, 0, opcode, length, false, 0);
        frame.put(payload, offset, length);
        return frame.flip();
    }

    /** A masked frame (what a client sends) with {@code payload}'s remaining bytes. */
    public static ByteBuffer clientFrame(int opcode, boolean fin, ByteBuffer payload, int maskKey) {
        int length = payload.remaining();
        int header = headerLength(length, true);
        ByteBuffer frame = ByteBuffer.allocate(header + length);
        writeHeader(frame, fin, 0, opcode, length, true, maskKey);
        frame.put(payload.duplicate());
        Masking.unmask(frame, header, header + length, maskKey, 0);
        return frame.flip();
    }

    /** A masked frame with {@code payload}. */
    public static ByteBuffer clientFrame(int opcode, boolean fin, byte[] payload, int maskKey) {
        return clientFrame(opcode, fin, ByteBuffer.wrap(payload), maskKey);
    }

    /**
     * The payload of a close frame (§5.5.1): the code, then the reason in UTF-8, cut at a character
     * boundary to fit 123 bytes. Codes 1005 and 1006 must not be sent; they give an empty payload.
     */
    public static byte[] closePayload(int code, String reason) {
        if (code == CloseCodes.NO_STATUS || code == CloseCodes.ABNORMAL) {
            return new byte[0];
        }
        byte[] text = truncateUtf8(reason == null ? "" : reason, MAX_CLOSE_REASON_BYTES);
        byte[] payload = new byte[2 + text.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, text.length);
        return payload;
    }

    /** An unmasked close frame. */
    public static ByteBuffer serverClose(int code, String reason) {
        byte[] payload = closePayload(code, reason);
        return serverFrame(Opcode.CLOSE, true, payload, 0, payload.length);
    }

    /** A masked close frame. */
    public static ByteBuffer clientClose(int code, String reason, int maskKey) {
        return clientFrame(Opcode.CLOSE, true, closePayload(code, reason), maskKey);
    }

    /** {@code text} in UTF-8, shortened to at most {@code maxBytes} without cutting a character. */
    static byte[] truncateUtf8(String text, int maxBytes) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes) {
            return bytes;
        }
        int end = maxBytes;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--; // bytes[end] continues a character that started before it: cut before that character
        }
        return java.util.Arrays.copyOf(bytes, end);
    }
}
