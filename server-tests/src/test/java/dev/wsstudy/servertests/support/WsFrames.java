package dev.wsstudy.servertests.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A deliberately tiny, independent RFC 6455 frame writer and reader for the tests (not the protocol
 * module's codec: a bug shared by client and server would cancel itself out). The writer can break
 * every rule on purpose: unmasked frames, RSV bits, any opcode, a length header that lies.
 */
public final class WsFrames {
    public static final int CONTINUATION = 0x0, TEXT = 0x1, BINARY = 0x2, CLOSE = 0x8, PING = 0x9, PONG = 0xA;
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"; // RFC 6455 §1.3

    private WsFrames() {
    }

    /** A frame as the server sent it. */
    public record Frame(boolean fin, int rsv, int opcode, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The close code (RFC 6455 §7.1.5), or 1005 when the close frame has no payload. */
        public int closeCode() {
            if (opcode != CLOSE) throw new IllegalStateException("not a close frame: " + this);
            return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
        }

        @Override
        public String toString() {
            String shown = opcode == CLOSE && payload.length >= 2 ? "code " + closeCode() + " '" + new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) + "'"
                    : payload.length <= 64 ? "'" + text() + "'" : payload.length + " bytes";
            return "Frame[fin=" + fin + " rsv=" + rsv + " opcode=" + opcode + " " + shown + "]";
        }
    }

    /** A valid client frame: FIN set, no RSV, masked with a random key (RFC 6455 §5.3). */
    public static byte[] frame(int opcode, byte[] payload) {
        return frame(true, 0, opcode, true, payload);
    }

    /** Any client frame, valid or not; its length header is the payload's real length. */
    public static byte[] frame(boolean fin, int rsv, int opcode, boolean masked, byte[] payload) {
        byte[] header = header(fin, rsv, opcode, masked, payload.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream(header.length + 4 + payload.length);
        out.writeBytes(header);
        if (masked) {
            byte[] key = new byte[4];
            ThreadLocalRandom.current().nextBytes(key);
            out.writeBytes(key);
            byte[] maskedPayload = new byte[payload.length];
            for (int i = 0; i < payload.length; i++) maskedPayload[i] = (byte) (payload[i] ^ key[i & 3]);
            out.writeBytes(maskedPayload);
        } else {
            out.writeBytes(payload);
        }
        return out.toByteArray();
    }

    /**
     * Only the first bytes of a frame: flags, opcode and a length header claiming {@code length}
     * bytes (7-, 16- or 64-bit form, RFC 6455 §5.2). With {@code masked}, the caller appends the key.
     */
    public static byte[] header(boolean fin, int rsv, int opcode, boolean masked, long length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(10);
        out.write((fin ? 0x80 : 0) | (rsv & 0x7) << 4 | (opcode & 0xF));
        int maskBit = masked ? 0x80 : 0;
        if (length >= 0 && length <= 125) {
            out.write(maskBit | (int) length);
        } else if (length >= 0 && length <= 0xFFFF) {
            out.write(maskBit | 126);
            out.write((int) (length >>> 8));
            out.write((int) length);
        } else {
            out.write(maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) out.write((int) (length >>> shift));
        }
        return out.toByteArray();
    }

    /** A close frame's payload: the code and a UTF-8 reason (RFC 6455 §5.5.1). */
    public static byte[] closePayload(int code, String reason) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        byte[] p = new byte[2 + r.length];
        p[0] = (byte) (code >>> 8);
        p[1] = (byte) code;
        System.arraycopy(r, 0, p, 2, r.length);
        return p;
    }

    /** Reads one server frame; server frames must not be masked (RFC 6455 §5.1). */
    public static Frame read(InputStream input) throws IOException {
        DataInputStream in = new DataInputStream(input);
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        if ((b1 & 0x80) != 0) throw new IOException("server sent a masked frame (RFC 6455 §5.1 forbids it)");
        long length = b1 & 0x7F;
        if (length == 126) length = in.readUnsignedShort();
        else if (length == 127) length = in.readLong();
        if (length < 0 || length > Integer.MAX_VALUE - 8) throw new IOException("server frame length " + length);
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        return new Frame((b0 & 0x80) != 0, (b0 >> 4) & 0x7, b0 & 0xF, payload);
    }

    public static String newKey() {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    /** The {@code Sec-WebSocket-Accept} a server must answer for {@code key} (RFC 6455 §4.2.2 step 5.4). */
    public static String acceptFor(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
