package dev.wsstudy.loadgen.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

import java.util.Arrays;

/**
 * Echo message layout: the timing travels in the payload, so latency needs no per-message map.
 * Binary: {@code [sequence:8][intended send nanos:8][actual send nanos:8][filler]} (big-endian).
 * Text: the same three numbers as 16 hex digits each, then ASCII filler. The filler is prebuilt;
 * per message only the header is written into a pooled buffer.
 */
public final class EchoPayload {
    public static final int BINARY_HEADER = 24, TEXT_HEADER = 48;
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final boolean text;
    private final byte[] template;

    public EchoPayload(int size, boolean text) {
        int min = text ? TEXT_HEADER : BINARY_HEADER;
        if (size < min) throw new IllegalArgumentException("--payload-bytes must be >= " + min + (text ? " with --text" : ""));
        this.text = text;
        this.template = new byte[size];
        if (text) Arrays.fill(template, (byte) 'x');
        else for (int i = 0; i < size; i++) template[i] = (byte) (i * 31 + 7);
    }

    public int size() {
        return template.length;
    }

    public WebSocketFrame encode(ByteBufAllocator alloc, long seq, long intendedNanos, long actualNanos) {
        ByteBuf b = alloc.buffer(template.length);
        b.writeBytes(template);
        if (text) {
            putHex(b, 0, seq);
            putHex(b, 16, intendedNanos);
            putHex(b, 32, actualNanos);
            return new TextWebSocketFrame(b);
        }
        b.setLong(0, seq);
        b.setLong(8, intendedNanos);
        b.setLong(16, actualNanos);
        return new BinaryWebSocketFrame(b);
    }

    /** Field {@code k} (0 = sequence, 1 = intended, 2 = actual) of an echoed message. */
    public long field(ByteBuf content, int k) {
        int at = content.readerIndex();
        if (!text) return content.getLong(at + 8 * k);
        long v = 0;
        for (int i = 0; i < 16; i++) v = (v << 4) | Character.digit(content.getByte(at + 16 * k + i), 16);
        return v;
    }

    /** Whether an echoed frame has our size and kind (a wrong echo is counted, not measured). */
    public boolean matches(WebSocketFrame f) {
        return f.content().readableBytes() == template.length && (f instanceof TextWebSocketFrame) == text;
    }

    private static void putHex(ByteBuf b, int at, long v) {
        for (int i = 15; i >= 0; i--) {
            b.setByte(at + i, HEX[(int) (v & 0xf)]);
            v >>>= 4;
        }
    }
}
