package dev.wsstudy.protocol.session;

import dev.wsstudy.protocol.CloseCodes;
import dev.wsstudy.protocol.frame.CloseFrames;
import dev.wsstudy.protocol.frame.FrameListener;
import dev.wsstudy.protocol.frame.Opcode;
import dev.wsstudy.protocol.frame.ProtocolException;
import dev.wsstudy.protocol.frame.Utf8Validator;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Turns decoded frames into messages (RFC 6455 §5.4) and enforces the rules about sequences of
 * frames, throwing {@link ProtocolException} on the first violation:
 * <ul>
 *   <li>a continuation frame needs a message in progress; a text or binary frame must not start
 *       while one is in progress (§5.4) → 1002;</li>
 *   <li>a message (all its fragments) over {@code maxMessageBytes} → 1009, decided from each
 *       frame's header before its payload is buffered;</li>
 *   <li>text must be UTF-8 (§8.1) → 1007, checked piece by piece as bytes arrive, so an invalid
 *       sequence fails mid-fragment; a message that ends inside a character also fails;</li>
 *   <li>close payloads ({@link CloseFrames}) → 1002 / 1007.</li>
 * </ul>
 * Control frames may arrive between the fragments of a message (§5.4) and are delivered at once.
 *
 * <p>Memory: an unfragmented message that arrives in one read is delivered as a slice of the
 * read buffer (no copy). Otherwise the bytes are gathered in an array that doubles as bytes
 * arrive (never allocated from a declared length: a header announcing 16 MiB followed by one byte
 * costs 256 bytes) and is dropped after the message. An idle connection holds no payload buffer;
 * an attacker sending tiny fragments makes it grow only with the bytes actually sent, up to the
 * message limit.
 */
final class MessageAssembler implements FrameListener {
    private static final int MIN_CAPACITY = 256;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();

    private final long maxMessageBytes;
    private final MessageSink sink;
    private final Utf8Validator utf8 = new Utf8Validator();

    // the frame being decoded
    private boolean frameFin;
    private int frameOpcode;
    private long frameLength;
    private long frameReceived;

    // the data message in progress
    private boolean inMessage;
    private boolean text;
    private long messageLength;     // bytes of completed frames plus the current frame's header
    private byte[] gathered;        // null unless the message spans frames or reads
    private int gatheredLength;
    private ByteBuffer whole;       // the message, when it came as one piece

    // the control frame being decoded (≤ 125 bytes)
    private ByteBuffer controlWhole;
    private byte[] controlBytes;

    MessageAssembler(long maxMessageBytes, MessageSink sink) {
        this.maxMessageBytes = maxMessageBytes;
        this.sink = sink;
    }

    @Override
    public void onFrameHeader(boolean fin, int opcode, long payloadLength) {
        frameFin = fin;
        frameOpcode = opcode;
        frameLength = payloadLength;
        frameReceived = 0;
        if (Opcode.isControl(opcode)) {
            return; // §5.4: control frames may be injected in the middle of a fragmented message
        }
        if (opcode == Opcode.CONTINUATION) {
            if (!inMessage) {
                throw new ProtocolException(CloseCodes.PROTOCOL_ERROR,
                        "continuation frame without a message in progress (RFC 6455 5.4)");
            }
        } else {
            if (inMessage) {
                throw new ProtocolException(CloseCodes.PROTOCOL_ERROR,
                        "new data frame while a fragmented message is in progress (RFC 6455 5.4)");
            }
            inMessage = true;
            text = opcode == Opcode.TEXT;
            messageLength = 0;
            utf8.reset();
        }
        messageLength += payloadLength;
        if (messageLength > maxMessageBytes) {
            throw new ProtocolException(CloseCodes.TOO_BIG,
                    "message of at least " + messageLength + " bytes exceeds the limit of " + maxMessageBytes);
        }
    }

    @Override
    public void onFramePayload(ByteBuffer payload) {
        int n = payload.remaining();
        boolean firstPiece = frameReceived == 0;
        frameReceived += n;
        if (Opcode.isControl(frameOpcode)) {
            if (firstPiece && n == frameLength) {
                controlWhole = payload;
            } else {
                if (controlBytes == null) {
                    controlBytes = new byte[(int) frameLength];
                }
                payload.get(controlBytes, (int) (frameReceived - n), n);
            }
            return;
        }
        if (text && !utf8.update(payload)) {
            throw new ProtocolException(CloseCodes.INVALID_PAYLOAD, "text is not valid UTF-8 (RFC 6455 8.1)");
        }
        if (firstPiece && n == frameLength && frameFin && gathered == null) {
            whole = payload; // the entire message in one piece: deliver the slice at frame end
            return;
        }
        int needed = gatheredLength + n;
        if (gathered == null || needed > gathered.length) {
            grow(needed);
        }
        payload.get(gathered, gatheredLength, n);
        gatheredLength = needed;
    }

    /**
     * Doubles the buffer (amortized linear copying, however small the fragments), so it is at most
     * twice the bytes actually received, and never beyond the message limit; in the final frame the
     * message's size is known and the buffer is never larger than that.
     */
    private void grow(int needed) {
        long doubled = Math.max(needed, Math.max(MIN_CAPACITY, gathered == null ? 0 : 2L * gathered.length));
        long bound = frameFin ? messageLength : maxMessageBytes;
        int capacity = (int) Math.max(needed, Math.min(doubled, bound));
        gathered = gathered == null ? new byte[capacity] : Arrays.copyOf(gathered, capacity);
    }

    @Override
    public void onFrameEnd() {
        if (Opcode.isControl(frameOpcode)) {
            controlEnd();
            return;
        }
        if (!frameFin) {
            return;
        }
        if (text && !utf8.isComplete()) {
            throw new ProtocolException(CloseCodes.INVALID_PAYLOAD,
                    "text message ends inside a UTF-8 sequence (RFC 6455 8.1)");
        }
        ByteBuffer message = whole != null ? whole
                : gathered != null ? ByteBuffer.wrap(gathered, 0, gatheredLength) : EMPTY.duplicate();
        boolean wasText = text;
        release();
        sink.onMessage(wasText, message);
    }

    private void controlEnd() {
        ByteBuffer payload = controlWhole != null ? controlWhole
                : controlBytes != null ? ByteBuffer.wrap(controlBytes) : EMPTY.duplicate();
        controlWhole = null;
        controlBytes = null;
        switch (frameOpcode) {
            case Opcode.PING -> sink.onPing(payload);
            case Opcode.PONG -> sink.onPong(payload);
            case Opcode.CLOSE -> {
                CloseFrames.Close close = CloseFrames.parse(payload);
                sink.onCloseFrame(close.code(), close.reason());
            }
            default -> throw new IllegalStateException("decoder passed opcode " + frameOpcode);
        }
    }

    /** Forgets the message in progress and drops its buffer. */
    void release() {
        inMessage = false;
        gathered = null;
        gatheredLength = 0;
        whole = null;
        controlWhole = null;
        controlBytes = null;
        messageLength = 0;
    }

    /** Bytes currently held for a message in progress (for memory tests). */
    int bufferedCapacity() {
        return gathered == null ? 0 : gathered.length;
    }
}
