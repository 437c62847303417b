package dev.wsstudy.protocol.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 6455 §5.2 framing rules, one test per rule, and the incremental behaviour. */
class FrameDecoderTest {
    private static final int MASK = 0x37FA213D;

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    private static FrameCapture decodeAll(byte[] bytes) {
        FrameCapture capture = new FrameCapture();
        FrameDecoder.forServer(Integer.MAX_VALUE).decode(ByteBuffer.wrap(bytes), capture);
        return capture;
    }

    private static ProtocolException violation(byte[] bytes, long maxFrameBytes) {
        FrameCapture capture = new FrameCapture();
        FrameDecoder decoder = FrameDecoder.forServer(maxFrameBytes);
        try {
            decoder.decode(ByteBuffer.wrap(bytes), capture);
        } catch (ProtocolException e) {
            assertThat(capture.inFrame()).as("no frame was announced before the violation").isFalse();
            return e;
        }
        throw new AssertionError("no violation");
    }

    private static byte[] masked(int opcode, boolean fin, byte[] payload) {
        ByteBuffer frame = FrameEncoder.clientFrame(opcode, fin, payload, MASK);
        byte[] out = new byte[frame.remaining()];
        frame.get(out);
        return out;
    }

    @Test
    void rfc6455Section5_7SingleFrameMaskedTextHello() {
        FrameCapture c = decodeAll(hex("81 85 37fa213d 7f9f4d5158"));
        assertThat(c.frames).hasSize(1);
        assertThat(new String(c.frames.get(0).payload())).isEqualTo("Hello");
        assertThat(c.frames.get(0).fin()).isTrue();
        assertThat(c.frames.get(0).opcode()).isEqualTo(Opcode.TEXT);
    }

    @Test
    void rfc6455Section5_7UnmaskedFramesAreWhatAClientDecoderReads() {
        FrameCapture c = new FrameCapture();
        FrameDecoder.forClient(1000).decode(ByteBuffer.wrap(hex("01 03 48656c 80 02 6c6f")), c);
        assertThat(c.frames).extracting(f -> new String(f.payload())).containsExactly("Hel", "lo");
        assertThat(c.frames).extracting(FrameCapture.Frame::fin).containsExactly(false, true);
        assertThat(c.frames).extracting(FrameCapture.Frame::opcode).containsExactly(Opcode.TEXT, Opcode.CONTINUATION);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7})
    void rsvBitsWithoutExtensionAreProtocolErrors(int rsv) {
        byte[] frame = masked(Opcode.TEXT, true, new byte[0]);
        frame[0] |= (byte) (rsv << 4);
        assertThat(violation(frame, 100).closeCode()).isEqualTo(1002);
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 4, 5, 6, 7, 11, 12, 13, 14, 15})
    void reservedOpcodesAreProtocolErrors(int opcode) {
        byte[] frame = masked(Opcode.TEXT, true, new byte[0]);
        frame[0] = (byte) (0x80 | opcode);
        assertThat(violation(frame, 100).closeCode()).isEqualTo(1002);
    }

    @ParameterizedTest
    @ValueSource(ints = {Opcode.CLOSE, Opcode.PING, Opcode.PONG})
    void fragmentedControlFramesAreProtocolErrors(int opcode) {
        assertThat(violation(masked(opcode, false, new byte[0]), 100).closeCode()).isEqualTo(1002);
    }

    @ParameterizedTest
    @ValueSource(ints = {Opcode.CLOSE, Opcode.PING, Opcode.PONG})
    void controlFramesOver125BytesAreProtocolErrors(int opcode) {
        assertThat(violation(masked(opcode, true, new byte[126]), 1000).closeCode()).isEqualTo(1002);
        assertThat(decodeAll(masked(opcode, true, new byte[125])).frames).hasSize(1);
    }

    @Test
    void unmaskedClientFrameIsAProtocolError() {
        assertThat(violation(hex("81 05 48656c6c6f"), 100).closeCode()).isEqualTo(1002);
    }

    @Test
    void maskedServerFrameIsAProtocolErrorForAClient() {
        FrameDecoder client = FrameDecoder.forClient(100);
        assertThatThrownBy(() -> client.decode(ByteBuffer.wrap(hex("81 85 37fa213d 7f9f4d5158")), new FrameCapture()))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.closeCode()).isEqualTo(1002));
    }

    @Test
    void sixtyFourBitLengthWithMostSignificantBitSetIsAProtocolError() {
        assertThat(violation(hex("82 ff 8000000000000000"), Long.MAX_VALUE).closeCode()).isEqualTo(1002);
        assertThat(violation(hex("82 ff ffffffffffffffff"), Long.MAX_VALUE).closeCode()).isEqualTo(1002);
    }

    @Test
    void sixtyFourBitLengthOverTheLimitIsRejectedFromTheHeaderWith1009() {
        // 2^62 bytes declared, nothing sent after the header: rejected before any payload exists
        ProtocolException e = violation(hex("82 ff 4000000000000000"), 16 * 1024 * 1024);
        assertThat(e.closeCode()).isEqualTo(1009);
    }

    @Test
    void frameOneByteOverTheLimitIs1009AndAtTheLimitIsAccepted() {
        assertThat(violation(masked(Opcode.BINARY, true, new byte[1001]), 1000).closeCode()).isEqualTo(1009);
        FrameCapture c = new FrameCapture();
        FrameDecoder.forServer(1000).decode(ByteBuffer.wrap(masked(Opcode.BINARY, true, new byte[1000])), c);
        assertThat(c.frames).hasSize(1);
    }

    @Test
    void lengthsMustUseTheMinimalEncoding() {
        assertThat(violation(hex("82 fe 007d 00000000"), 1000).closeCode()).isEqualTo(1002); // 125 in 16 bits
        assertThat(violation(hex("82 ff 000000000000ffff 00000000"), 100000).closeCode()).isEqualTo(1002); // in 64 bits
    }

    @Test
    void sevenSixteenAndSixtyFourBitLengthsDecode() {
        for (int length : new int[] {0, 1, 125, 126, 127, 65535, 65536, 70000}) {
            byte[] payload = new byte[length];
            new Random(length).nextBytes(payload);
            FrameCapture c = decodeAll(masked(Opcode.BINARY, true, payload));
            assertThat(c.frames).hasSize(1);
            assertThat(c.frames.get(0).payload()).isEqualTo(payload);
        }
    }

    @Test
    void aFrameSplitAtEveryPossibleBoundaryDecodesTheSame() {
        for (int length : new int[] {0, 5, 125, 126, 300}) {
            byte[] payload = new byte[length];
            new Random(length).nextBytes(payload);
            byte[] frame = masked(Opcode.BINARY, true, payload);
            for (int a = 0; a <= frame.length; a++) {
                for (int b = a; b <= frame.length; b += Math.max(1, frame.length / 40)) {
                    FrameCapture c = new FrameCapture();
                    FrameDecoder d = FrameDecoder.forServer(100000);
                    d.decode(ByteBuffer.wrap(frame.clone(), 0, a), c);
                    byte[] copy = frame.clone();
                    d.decode(ByteBuffer.wrap(copy, a, b - a), c);
                    d.decode(ByteBuffer.wrap(copy, b, frame.length - b), c);
                    assertThat(c.frames).as("cuts %d %d", a, b).hasSize(1);
                    assertThat(c.frames.get(0).payload()).isEqualTo(payload);
                }
            }
        }
    }

    @Test
    void oneByteAtATimeDecodesEveryFrameOfAStream() {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int length : new int[] {3, 0, 126, 65536, 1}) {
            stream.writeBytes(masked(Opcode.BINARY, true, new byte[length]));
        }
        byte[] bytes = stream.toByteArray();
        FrameCapture c = new FrameCapture();
        FrameDecoder d = FrameDecoder.forServer(100000);
        for (int i = 0; i < bytes.length; i++) {
            d.decode(ByteBuffer.wrap(bytes, i, 1), c);
        }
        assertThat(c.frames).extracting(f -> f.payload().length).containsExactly(3, 0, 126, 65536, 1);
        assertThat(d.isAtFrameBoundary()).isTrue();
    }

    @Test
    void manyFramesInOneBufferAreAllDelivered() {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int i = 0; i < 1000; i++) {
            stream.writeBytes(masked(Opcode.TEXT, true, ("m" + i).getBytes()));
        }
        FrameCapture c = decodeAll(stream.toByteArray());
        assertThat(c.frames).hasSize(1000);
        assertThat(new String(c.frames.get(999).payload())).isEqualTo("m999");
    }

    @Test
    void haltStopsDecodingAfterTheCurrentFrame() {
        byte[] two = FrameEncoderTest.concat(masked(Opcode.TEXT, true, "a".getBytes()), masked(Opcode.TEXT, true, "b".getBytes()));
        FrameDecoder d = FrameDecoder.forServer(100);
        FrameCapture c = new FrameCapture() {
            @Override
            public void onFrameEnd() {
                super.onFrameEnd();
                d.halt();
            }
        };
        ByteBuffer in = ByteBuffer.wrap(two);
        d.decode(in, c);
        assertThat(c.frames).hasSize(1);
        assertThat(in.remaining()).isEqualTo(two.length / 2);
    }

    @Test
    void afterAViolationFurtherInputIsIgnored() {
        FrameDecoder d = FrameDecoder.forServer(100);
        FrameCapture c = new FrameCapture();
        assertThatThrownBy(() -> d.decode(ByteBuffer.wrap(hex("81 05 48656c6c6f")), c)).isInstanceOf(ProtocolException.class);
        d.decode(ByteBuffer.wrap(masked(Opcode.TEXT, true, "x".getBytes())), c);
        assertThat(c.frames).isEmpty();
    }
}
