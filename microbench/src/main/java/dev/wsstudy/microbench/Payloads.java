package dev.wsstudy.microbench;

import dev.wsstudy.protocol.frame.FrameEncoder;
import dev.wsstudy.protocol.frame.Opcode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * Deterministic inputs for the benchmarks: random bytes, UTF-8 text of an exact byte length, and
 * streams of masked client frames. Seeded, so every fork and every run measures the same bytes.
 */
public final class Payloads {
    /** A fixed masking key for benchmarks that do not care which key (RFC 6455 §5.3: any 32 bits). */
    public static final int MASK_KEY = 0x37FA_213D;

    private Payloads() {
    }

    public static byte[] randomBytes(int size, long seed) {
        byte[] b = new byte[size];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < size; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }

    /** The three kinds of text the UTF-8 benchmarks compare. */
    public enum Text {
        /** Printable ASCII: English prose, JSON, most chat traffic. */
        ASCII,
        /** Mostly ASCII with accented letters (2 bytes), symbols and CJK (3), emoji (4): European chat. */
        MIXED,
        /** Almost no ASCII: CJK (3 bytes) with some Cyrillic (2) and emoji (4). */
        MULTIBYTE
    }

    /**
     * Valid UTF-8 of exactly {@code size} bytes: characters of the given kind while the next one
     * fits, then ASCII spaces (at most 3) to fill.
     */
    public static byte[] text(Text kind, int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] out = new byte[size];
        int n = 0;
        while (true) {
            int cp = codePoint(kind, r);
            int len = utf8Length(cp);
            if (n + len > size) {
                break;
            }
            n = encode(cp, out, n);
        }
        while (n < size) {
            out[n++] = ' ';
        }
        return out;
    }

    private static int codePoint(Text kind, SplittableRandom r) {
        double p = r.nextDouble();
        return switch (kind) {
            case ASCII -> 0x20 + r.nextInt(0x7F - 0x20);
            case MIXED -> p < 0.85 ? 0x20 + r.nextInt(0x7F - 0x20)
                    : p < 0.95 ? 0xC0 + r.nextInt(0x180 - 0xC0)       // Latin-1 Supplement, Extended-A
                    : p < 0.99 ? 0x4E00 + r.nextInt(0x5000)            // CJK ideographs
                    : 0x1F300 + r.nextInt(0x350);                      // emoji
            case MULTIBYTE -> p < 0.90 ? 0x4E00 + r.nextInt(0x5000)
                    : p < 0.95 ? 0x410 + r.nextInt(0x40)               // Cyrillic
                    : 0x1F300 + r.nextInt(0x350);
        };
    }

    static int utf8Length(int cp) {
        return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }

    /** RFC 3629 §3: writes {@code cp} at {@code at}, returns the index after it. */
    private static int encode(int cp, byte[] out, int at) {
        switch (utf8Length(cp)) {
            case 1 -> out[at++] = (byte) cp;
            case 2 -> {
                out[at++] = (byte) (0xC0 | cp >> 6);
                out[at++] = (byte) (0x80 | cp & 0x3F);
            }
            case 3 -> {
                out[at++] = (byte) (0xE0 | cp >> 12);
                out[at++] = (byte) (0x80 | cp >> 6 & 0x3F);
                out[at++] = (byte) (0x80 | cp & 0x3F);
            }
            default -> {
                out[at++] = (byte) (0xF0 | cp >> 18);
                out[at++] = (byte) (0x80 | cp >> 12 & 0x3F);
                out[at++] = (byte) (0x80 | cp >> 6 & 0x3F);
                out[at++] = (byte) (0x80 | cp & 0x3F);
            }
        }
        return at;
    }

    /**
     * {@code count} masked binary client frames of {@code payloadSize} random bytes each, back to
     * back, every frame with its own random key (as a browser sends them), in a direct buffer like
     * the servers' read buffers.
     */
    public static ByteBuffer clientFrames(int count, int payloadSize, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            ByteBuffer f = FrameEncoder.clientFrame(Opcode.BINARY, true,
                    randomBytes(payloadSize, r.nextLong()), r.nextInt());
            all.write(f.array(), f.arrayOffset() + f.position(), f.remaining());
        }
        byte[] bytes = all.toByteArray();
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    }
}
