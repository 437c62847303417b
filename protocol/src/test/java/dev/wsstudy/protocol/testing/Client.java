package dev.wsstudy.protocol.testing;

import dev.wsstudy.protocol.frame.FrameEncoder;
import dev.wsstudy.protocol.frame.Opcode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Builds what a client sends: an upgrade request and masked frames. */
public final class Client {
    public static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    public static final int MASK = 0x37FA213D;

    private Client() {
    }

    public static byte[] upgrade(String path) {
        return ("GET " + path + " HTTP/1.1\r\n"
                + "Host: localhost:8080\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + KEY + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    public static byte[] frame(int opcode, boolean fin, byte[] payload) {
        return bytes(FrameEncoder.clientFrame(opcode, fin, payload, MASK));
    }

    public static byte[] text(String text) {
        return frame(Opcode.TEXT, true, text.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] binary(byte[] payload) {
        return frame(Opcode.BINARY, true, payload);
    }

    public static byte[] close(int code, String reason) {
        return bytes(FrameEncoder.clientClose(code, reason, MASK));
    }

    /** A frame with arbitrary header bits (RSV, opcode), masked, for provoking errors. */
    public static byte[] raw(boolean fin, int rsv, int opcode, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(FrameEncoder.headerLength(payload.length, true) + payload.length);
        FrameEncoder.writeHeader(b, fin, rsv, opcode, payload.length, true, MASK);
        int from = b.position();
        b.put(payload);
        dev.wsstudy.protocol.frame.Masking.unmask(b, from, b.position(), MASK, 0);
        return b.array();
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.write(p, 0, p.length);
        }
        return out.toByteArray();
    }

    public static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
