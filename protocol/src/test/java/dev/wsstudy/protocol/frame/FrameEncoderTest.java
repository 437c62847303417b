package dev.wsstudy.protocol.frame;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Encoder → decoder round trips at the length-encoding boundaries (RFC 6455 §5.2). */
class FrameEncoderTest {

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 125, 126, 127, 65535, 65536, 1 << 20})
    void serverFrameRoundTripsThroughAClientDecoder(int length) {
        byte[] payload = new byte[length];
        new Random(length).nextBytes(payload);
        ByteBuffer frame = FrameEncoder.serverFrame(Opcode.BINARY, true, ByteBuffer.wrap(payload));
        assertThat(frame.remaining()).isEqualTo(FrameEncoder.headerLength(length, false) + length);
        FrameCapture c = new FrameCapture();
        FrameDecoder.forClient(Integer.MAX_VALUE).decode(frame, c);
        assertThat(c.frames).hasSize(1);
        assertThat(c.frames.get(0).payload()).isEqualTo(payload);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 125, 126, 127, 65535, 65536, 1 << 20})
    void clientFrameRoundTripsThroughAServerDecoder(int length) {
        byte[] payload = new byte[length];
        new Random(length).nextBytes(payload);
        ByteBuffer frame = FrameEncoder.clientFrame(Opcode.TEXT, false, payload, 0x12345678);
        assertThat(frame.remaining()).isEqualTo(FrameEncoder.headerLength(length, true) + length);
        FrameCapture c = new FrameCapture();
        FrameDecoder.forServer(Integer.MAX_VALUE).decode(frame, c);
        assertThat(c.frames.get(0).payload()).isEqualTo(payload);
        assertThat(c.frames.get(0).fin()).isFalse();
        assertThat(c.frames.get(0).opcode()).isEqualTo(Opcode.TEXT);
    }

    @Test
    void headerUsesSevenSixteenOrSixtyFourBitLengths() {
        assertThat(FrameEncoder.headerLength(125, false)).isEqualTo(2);
        assertThat(FrameEncoder.headerLength(126, false)).isEqualTo(4);
        assertThat(FrameEncoder.headerLength(65535, false)).isEqualTo(4);
        assertThat(FrameEncoder.headerLength(65536, false)).isEqualTo(10);
        assertThat(FrameEncoder.headerLength(65536, true)).isEqualTo(14);
    }

    @Test
    void serverFrameDoesNotMoveThePayloadPosition() {
        ByteBuffer payload = ByteBuffer.wrap("abc".getBytes());
        FrameEncoder.serverFrame(Opcode.TEXT, true, payload);
        assertThat(payload.position()).isZero();
    }

    @Test
    void closePayloadCarriesCodeAndReason() {
        byte[] p = FrameEncoder.closePayload(1001, "bye");
        assertThat(p).containsExactly(0x03, 0xE9, 'b', 'y', 'e');
    }

    @Test
    void closeReasonIsCutTo123BytesAtACharacterBoundary() {
        String reason = "é".repeat(100); // 200 bytes of 2-byte characters
        byte[] p = FrameEncoder.closePayload(1000, reason);
        assertThat(p.length).isLessThanOrEqualTo(125);
        assertThat(p.length).isEqualTo(2 + 122);
        byte[] text = java.util.Arrays.copyOfRange(p, 2, p.length);
        assertThat(Utf8Validator.isValid(text, 0, text.length)).isTrue();
        assertThat(new String(text, StandardCharsets.UTF_8)).isEqualTo("é".repeat(61));
    }

    @Test
    void reservedCodes1005And1006AreNeverPutOnTheWire() {
        assertThat(FrameEncoder.closePayload(1005, "x")).isEmpty();
        assertThat(FrameEncoder.closePayload(1006, "x")).isEmpty();
    }
}
