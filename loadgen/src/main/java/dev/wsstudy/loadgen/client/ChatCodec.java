package dev.wsstudy.loadgen.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

import java.nio.charset.StandardCharsets;

/**
 * The few JSON messages of the /chat protocol (docs/wire-protocol.md) the generator sends and
 * reads. A chat body is {@code [sender, sequence, intendedNanos, actualNanos, "padding"]}; the
 * server carries it verbatim, so the timing is read back from the delivered frame by scanning for
 * {@code "body":[} instead of parsing the whole JSON (no allocation per delivery).
 */
public final class ChatCodec {
    private static final ByteBuf BODY = Unpooled.unreleasableBuffer(
            Unpooled.copiedBuffer("\"body\":[", StandardCharsets.US_ASCII));
    private static final byte[] WELCOME = "\"type\":\"welcome\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ERROR = "\"type\":\"error\"".getBytes(StandardCharsets.US_ASCII);

    private final String padding;

    /** @param messageBytes approximate size of one chat message as sent */
    public ChatCodec(int messageBytes) {
        int pad = Math.max(0, messageBytes - 90);
        this.padding = "p".repeat(pad);
    }

    public static TextWebSocketFrame init(String clientId, String roomId) {
        return new TextWebSocketFrame("{\"type\":\"init\",\"clientId\":\"" + clientId + "\",\"roomId\":\"" + roomId + "\"}");
    }

    public TextWebSocketFrame chat(ByteBufAllocator alloc, int sender, long seq, long intendedNanos, long actualNanos) {
        ByteBuf b = alloc.buffer(96 + padding.length());
        b.writeCharSequence("{\"type\":\"chat\",\"body\":[", StandardCharsets.US_ASCII);
        b.writeCharSequence(Integer.toString(sender), StandardCharsets.US_ASCII);
        b.writeByte(',');
        b.writeCharSequence(Long.toString(seq), StandardCharsets.US_ASCII);
        b.writeByte(',');
        b.writeCharSequence(Long.toString(intendedNanos), StandardCharsets.US_ASCII);
        b.writeByte(',');
        b.writeCharSequence(Long.toString(actualNanos), StandardCharsets.US_ASCII);
        b.writeCharSequence(",\"", StandardCharsets.US_ASCII);
        b.writeCharSequence(padding, StandardCharsets.US_ASCII);
        b.writeCharSequence("\"]}", StandardCharsets.US_ASCII);
        return new TextWebSocketFrame(b);
    }

    /**
     * Reads the four numbers of a delivered chat body into {@code out}; false if the frame is not
     * one of our chat messages (welcome, join, leave, error...).
     */
    public static boolean readBody(WebSocketFrame f, long[] out) {
        ByteBuf c = f.content();
        int at = ByteBufUtil.indexOf(BODY, c);
        if (at < 0) return false;
        int i = at + BODY.readableBytes();
        int end = c.writerIndex();
        for (int k = 0; k < 4; k++) {
            long v = 0;
            boolean neg = false, any = false;
            while (i < end && c.getByte(i) == ' ') i++;
            if (i < end && c.getByte(i) == '-') { neg = true; i++; }
            byte ch;
            while (i < end && (ch = c.getByte(i)) >= '0' && ch <= '9') { v = v * 10 + (ch - '0'); i++; any = true; }
            if (!any) return false;
            out[k] = neg ? -v : v;
            while (i < end && (c.getByte(i) == ' ' || c.getByte(i) == ',')) i++;
        }
        return true;
    }

    public static boolean isWelcome(WebSocketFrame f) {
        return contains(f.content(), WELCOME);
    }

    public static boolean isError(WebSocketFrame f) {
        return contains(f.content(), ERROR);
    }

    private static boolean contains(ByteBuf c, byte[] needle) {
        return ByteBufUtil.indexOf(Unpooled.wrappedBuffer(needle), c) >= 0;
    }
}
