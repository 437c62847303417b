package dev.wsstudy.protocol.frame;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * XOR masking of frame payloads (RFC 6455 §5.3): byte {@code i} of the payload is XORed with byte
 * {@code i mod 4} of the 32-bit masking key. Masking and unmasking are the same operation.
 *
 * <p>The key is passed as an {@code int} holding the four key bytes in wire order (big-endian:
 * the first key byte is the most significant). {@code maskOffset} says how many payload bytes of
 * the frame came before this piece, so a payload split across reads continues where it left off.
 *
 * <p>{@link #unmask} works eight bytes at a time through a big-endian {@code long} view: the key,
 * rotated to the piece's offset, is repeated twice into a {@code long}. View var handles allow
 * plain access at any index, so no alignment preamble is needed; a byte loop handles the tail.
 * {@link #unmaskBytewise} is the plain reference loop, the oracle for tests and benchmarks.
 */
public final class Masking {
    private static final VarHandle ARRAY_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle BUFFER_LONG =
            MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Masking() {
    }

    /** The key rotated so that its first byte applies to payload byte {@code maskOffset}. */
    static int rotatedKey(int maskKey, long maskOffset) {
        return Integer.rotateLeft(maskKey, 8 * (int) (maskOffset & 3));
    }

    /** XORs {@code bytes[from, to)} in place; {@code maskOffset} = payload bytes before {@code from}. */
    public static void unmask(byte[] bytes, int from, int to, int maskKey, long maskOffset) {
        int key = rotatedKey(maskKey, maskOffset);
        long wide = ((long) key << 32) | (key & 0xFFFF_FFFFL);
        int i = from;
        for (int end = to - 7; i < end; i += 8) {
            ARRAY_LONG.set(bytes, i, (long) ARRAY_LONG.get(bytes, i) ^ wide);
        }
        // (i - from) is a multiple of 8, so the tail starts at key byte 0 again.
        for (int k = 0; i < to; i++, k++) {
            bytes[i] ^= (byte) (key >>> (24 - 8 * (k & 3)));
        }
    }

    /**
     * XORs {@code buffer}'s bytes at absolute indices {@code [from, to)} in place (heap or direct,
     * any byte order; position, limit and order are not touched).
     */
    public static void unmask(ByteBuffer buffer, int from, int to, int maskKey, long maskOffset) {
        if (buffer.hasArray()) {
            int base = buffer.arrayOffset();
            unmask(buffer.array(), base + from, base + to, maskKey, maskOffset);
            return;
        }
        int key = rotatedKey(maskKey, maskOffset);
        long wide = ((long) key << 32) | (key & 0xFFFF_FFFFL);
        int i = from;
        for (int end = to - 7; i < end; i += 8) {
            BUFFER_LONG.set(buffer, i, (long) BUFFER_LONG.get(buffer, i) ^ wide);
        }
        for (int k = 0; i < to; i++, k++) {
            buffer.put(i, (byte) (buffer.get(i) ^ (key >>> (24 - 8 * (k & 3)))));
        }
    }

    /** XORs {@code buffer}'s remaining bytes in place (position and limit unchanged). */
    public static void unmask(ByteBuffer buffer, int maskKey, long maskOffset) {
        unmask(buffer, buffer.position(), buffer.limit(), maskKey, maskOffset);
    }

    /** The reference: one byte at a time, straight from §5.3. */
    public static void unmaskBytewise(byte[] bytes, int from, int to, int maskKey, long maskOffset) {
        for (int i = from; i < to; i++) {
            long j = maskOffset + (i - from);
            int keyByte = (maskKey >>> (24 - 8 * (int) (j & 3))) & 0xFF;
            bytes[i] = (byte) (bytes[i] ^ keyByte);
        }
    }

    /** The reference on a buffer's absolute indices {@code [from, to)}. */
    public static void unmaskBytewise(ByteBuffer buffer, int from, int to, int maskKey, long maskOffset) {
        for (int i = from; i < to; i++) {
            long j = maskOffset + (i - from);
            int keyByte = (maskKey >>> (24 - 8 * (int) (j & 3))) & 0xFF;
            buffer.put(i, (byte) (buffer.get(i) ^ keyByte));
        }
    }
}
