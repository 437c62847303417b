package dev.wsstudy.protocol.testing;

import dev.wsstudy.protocol.frame.FrameDecoder;
import dev.wsstudy.protocol.frame.FrameListener;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Splits what a server wrote into its HTTP head and the frames after it, as a client reads them. */
public final class ServerOutput {

    /** One frame as received. */
    public record Frame(boolean fin, int opcode, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The close code of a close frame (1005 when empty). */
        public int closeCode() {
            return payload.length < 2 ? 1005 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }

        public String closeReason() {
            return payload.length < 2 ? "" : new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
        }
    }

    private final String head;
    private final List<Frame> frames;

    private ServerOutput(String head, List<Frame> frames) {
        this.head = head;
        this.frames = frames;
    }

    public static ServerOutput parse(byte[] bytes) {
        int end = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        if (end < 0) {
            return new ServerOutput(new String(bytes, StandardCharsets.ISO_8859_1), List.of());
        }
        String head = new String(bytes, 0, end + 4, StandardCharsets.ISO_8859_1);
        List<Frame> frames = new ArrayList<>();
        if (head.startsWith("HTTP/1.1 101")) {
            frames = decodeFrames(ByteBuffer.wrap(bytes, end + 4, bytes.length - end - 4));
        } else {
            head = new String(bytes, StandardCharsets.ISO_8859_1); // keep the body too
        }
        return new ServerOutput(head, frames);
    }

    public static List<Frame> decodeFrames(ByteBuffer in) {
        List<Frame> frames = new ArrayList<>();
        FrameDecoder decoder = FrameDecoder.forClient(Long.MAX_VALUE);
        decoder.decode(in, new FrameListener() {
            boolean fin;
            int opcode;
            ByteArrayOutputStream payload;

            @Override
            public void onFrameHeader(boolean fin, int opcode, long payloadLength) {
                this.fin = fin;
                this.opcode = opcode;
                this.payload = new ByteArrayOutputStream();
            }

            @Override
            public void onFramePayload(ByteBuffer piece) {
                byte[] b = new byte[piece.remaining()];
                piece.get(b);
                payload.write(b, 0, b.length);
            }

            @Override
            public void onFrameEnd() {
                frames.add(new Frame(fin, opcode, payload.toByteArray()));
            }
        });
        return frames;
    }

    /** The status line and headers (and body, for non-101 answers). */
    public String head() {
        return head;
    }

    public int status() {
        return head.length() >= 12 ? Integer.parseInt(head.substring(9, 12)) : -1;
    }

    public List<Frame> frames() {
        return frames;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
