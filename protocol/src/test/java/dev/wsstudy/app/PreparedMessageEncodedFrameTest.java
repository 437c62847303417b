package dev.wsstudy.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsstudy.protocol.frame.FrameEncoder;
import dev.wsstudy.protocol.frame.Opcode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link PreparedMessage#ofEncodedFrame}: cluster mode's way to reuse another node's frame bytes. */
class PreparedMessageEncodedFrameTest {

    @Test
    void anEncodedFrameIsReusedByteForByte() {
        for (int size : new int[] {0, 125, 126, 65535, 65536}) {
            PreparedMessage original = PreparedMessage.text("x".repeat(size));
            PreparedMessage again = PreparedMessage.ofEncodedFrame(original.bytes());
            assertThat(again.bytes()).isEqualTo(original.bytes());
            assertThat(again.isText()).isTrue();
            assertThat(again.payloadLength()).isEqualTo(size);
            assertThat(again.frameLength()).isEqualTo(original.frameLength());
        }
        PreparedMessage binary = PreparedMessage.binary(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertThat(PreparedMessage.ofEncodedFrame(binary.bytes()).isText()).isFalse();
    }

    @Test
    void onlyTheRemainingBytesCount() {
        ByteBuffer frame = PreparedMessage.text("hi").bytes();
        ByteBuffer padded = ByteBuffer.allocate(frame.remaining() + 4);
        padded.put(new byte[] {9, 9}).put(frame.duplicate()).put(new byte[] {9, 9}).flip();
        padded.position(2).limit(2 + frame.remaining());
        assertThat(PreparedMessage.ofEncodedFrame(padded).bytes()).isEqualTo(frame);
    }

    @Test
    void somethingThatIsNotOneFinalUnmaskedDataFrameIsRefused() {
        byte[] hi = "hi".getBytes(StandardCharsets.UTF_8);
        assertRefused(ByteBuffer.allocate(1), "shorter");
        assertRefused(FrameEncoder.serverFrame(Opcode.TEXT, false, hi, 0, 2), "final");
        assertRefused(FrameEncoder.serverFrame(Opcode.PING, true, hi, 0, 2), "data frame");
        assertRefused(FrameEncoder.clientFrame(Opcode.TEXT, true, hi, 0x01020304), "masked");
        ByteBuffer truncated = PreparedMessage.text("hello").bytes();
        truncated.limit(truncated.limit() - 1);
        assertRefused(truncated, "length field");
        ByteBuffer longHeaderCut = PreparedMessage.text("y".repeat(300)).bytes();
        longHeaderCut.limit(3);
        assertRefused(longHeaderCut, "truncated length");
        ByteBuffer rsv = PreparedMessage.text("hi").bytes();
        ByteBuffer withRsv = ByteBuffer.allocate(rsv.remaining()).put(rsv).flip();
        withRsv.put(0, (byte) (withRsv.get(0) | 0x40));
        assertRefused(withRsv, "RSV");
    }

    @Test
    void aTextFrameWithInvalidUtf8IsRefusedSoNoClientFailsWith1007() {
        byte[] bad = {(byte) 0xC3, (byte) 0x28};
        assertRefused(FrameEncoder.serverFrame(Opcode.TEXT, true, bad, 0, bad.length), "UTF-8");
        assertThat(PreparedMessage.ofEncodedFrame(FrameEncoder.serverFrame(Opcode.BINARY, true, bad, 0, bad.length))
                .payloadLength()).isEqualTo(2);
    }

    private static void assertRefused(ByteBuffer frame, String why) {
        assertThatThrownBy(() -> PreparedMessage.ofEncodedFrame(frame))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(why);
    }
}
