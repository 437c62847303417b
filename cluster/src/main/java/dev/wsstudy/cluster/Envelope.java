package dev.wsstudy.cluster;

import dev.wsstudy.app.PreparedMessage;
import java.nio.ByteBuffer;

/**
 * One room broadcast as it travels through Redis: a 22-byte header, then the WebSocket frame
 * exactly as the publishing node encoded it (so a receiving node hands the same bytes to its
 * members without encoding again).
 *
 * <pre>
 * offset size
 *   0     1   magic 'W'
 *   1     1   version 1
 *   2     8   node id of the publisher (receivers drop their own messages by comparing it)
 *  10     4   epoch: which incarnation of the publisher's sequence for this room (0 = unsequenced)
 *  14     8   sequence within the epoch, 1, 2, 3 ... (receivers detect lost messages by it)
 *  22     n   the frame (RFC 6455 §5.2: unmasked, final, text or binary)
 * </pre>
 * Big-endian, as {@link ByteBuffer} writes it.
 */
final class Envelope {

    static final int HEADER = 22;
    private static final byte MAGIC = 'W';
    private static final byte VERSION = 1;
    private static final int EPOCH_AT = 10;
    private static final int SEQ_AT = 14;

    private Envelope() {
    }

    /** The envelope with epoch and sequence 0; {@link #stamp} sets them later (under the room's lock). */
    static byte[] encode(long node, ByteBuffer frame) {
        ByteBuffer f = frame.duplicate();
        byte[] bytes = new byte[HEADER + f.remaining()];
        ByteBuffer out = ByteBuffer.wrap(bytes);
        out.put(MAGIC).put(VERSION).putLong(node).putInt(0).putLong(0);
        out.put(f);
        return bytes;
    }

    static void stamp(byte[] envelope, int epoch, long seq) {
        ByteBuffer.wrap(envelope).putInt(EPOCH_AT, epoch).putLong(SEQ_AT, seq);
    }

    /** The publisher's node id, read before anything else is checked (own messages are dropped cheaply). */
    static long node(byte[] envelope) {
        check(envelope);
        return ByteBuffer.wrap(envelope).getLong(2);
    }

    /**
     * Decodes and validates a whole envelope. The frame is wrapped, not copied.
     *
     * @throws IllegalArgumentException naming what is wrong (a foreign publisher, a truncated message)
     */
    static Decoded decode(byte[] envelope) {
        check(envelope);
        ByteBuffer in = ByteBuffer.wrap(envelope);
        long node = in.getLong(2);
        int epoch = in.getInt(EPOCH_AT);
        long seq = in.getLong(SEQ_AT);
        if (epoch < 0 || seq < 0 || (epoch == 0) != (seq == 0)) {
            throw new IllegalArgumentException("bad epoch/sequence " + epoch + "/" + seq);
        }
        PreparedMessage message = PreparedMessage.ofEncodedFrame(in.position(HEADER).slice());
        return new Decoded(node, epoch, seq, message);
    }

    private static void check(byte[] envelope) {
        if (envelope == null || envelope.length < HEADER + 2) {
            throw new IllegalArgumentException("too short for an envelope");
        }
        if (envelope[0] != MAGIC || envelope[1] != VERSION) {
            throw new IllegalArgumentException("not a wsstudy envelope (magic/version)");
        }
    }

    record Decoded(long node, int epoch, long seq, PreparedMessage message) {
    }
}
