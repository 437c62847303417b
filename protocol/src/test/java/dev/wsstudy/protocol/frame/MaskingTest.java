package dev.wsstudy.protocol.frame;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** RFC 6455 §5.3: the word-at-a-time unmasking equals the plain byte loop everywhere. */
class MaskingTest {
    private static final int[] KEYS = {0x00000000, 0xFFFFFFFF, 0x37FA213D, 0x01020304, 0x80000001};

    private static int[] lengths() {
        int[] lengths = new int[80];
        for (int i = 0; i < 70; i++) {
            lengths[i] = i;
        }
        int[] more = {125, 126, 127, 1000, 4095, 4096, 4097, 65535, 65536, 100_003};
        System.arraycopy(more, 0, lengths, 70, more.length);
        return lengths;
    }

    @Test
    void unmaskOnArraysEqualsByteLoopForEveryOffsetAlignmentAndLength() {
        Random random = new Random(1);
        for (int key : KEYS) {
            for (int length : lengths()) {
                for (int offset = 0; offset < 8; offset++) {
                    for (long maskOffset = 0; maskOffset < 8; maskOffset++) {
                        byte[] data = new byte[offset + length + 3];
                        random.nextBytes(data);
                        byte[] expected = data.clone();
                        Masking.unmaskBytewise(expected, offset, offset + length, key, maskOffset);
                        Masking.unmask(data, offset, offset + length, key, maskOffset);
                        assertThat(data).as("key %x length %d offset %d maskOffset %d", key, length, offset, maskOffset)
                                .isEqualTo(expected);
                    }
                }
            }
        }
    }

    @Test
    void unmaskOnHeapAndDirectBuffersEqualsByteLoop() {
        Random random = new Random(2);
        for (boolean direct : new boolean[] {false, true}) {
            for (int length : lengths()) {
                for (int offset = 0; offset < 8; offset++) {
                    long maskOffset = offset * 3L;
                    int size = offset + length + 5;
                    byte[] data = new byte[size];
                    random.nextBytes(data);
                    // a heap slice has a non-zero array offset, the path through arrayOffset()
                    ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(size)
                            : ByteBuffer.allocate(size + 3).slice(3, size);
                    buffer.put(data).clear();
                    Masking.unmaskBytewise(data, offset, offset + length, 0x37FA213D, maskOffset);
                    Masking.unmask(buffer, offset, offset + length, 0x37FA213D, maskOffset);
                    byte[] actual = new byte[size];
                    buffer.get(actual);
                    assertThat(actual).as("direct %s length %d offset %d", direct, length, offset).isEqualTo(data);
                }
            }
        }
    }

    @Test
    void unmaskLeavesPositionLimitAndOrderAlone() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(64).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        buffer.position(3).limit(50);
        Masking.unmask(buffer, 0x11223344, 0);
        assertThat(buffer.position()).isEqualTo(3);
        assertThat(buffer.limit()).isEqualTo(50);
        assertThat(buffer.order()).isEqualTo(java.nio.ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void maskingTwiceRestoresThePayload() {
        byte[] data = new byte[1000];
        new Random(3).nextBytes(data);
        byte[] copy = data.clone();
        Masking.unmask(data, 0, data.length, 0xCAFEBABE, 0);
        assertThat(data).isNotEqualTo(copy);
        Masking.unmask(data, 0, data.length, 0xCAFEBABE, 0);
        assertThat(data).isEqualTo(copy);
    }

    @Test
    void unmaskingInPiecesWithRunningOffsetEqualsOneGo() {
        byte[] data = new byte[777];
        new Random(4).nextBytes(data);
        byte[] whole = data.clone();
        Masking.unmask(whole, 0, whole.length, 0x0BADF00D, 0);
        int[] cuts = {0, 1, 2, 3, 10, 17, 64, 65, 300, 777};
        for (int i = 0; i + 1 < cuts.length; i++) {
            Masking.unmask(data, cuts[i], cuts[i + 1], 0x0BADF00D, cuts[i]);
        }
        assertThat(data).isEqualTo(whole);
    }

    @Test
    void keyBytesApplyInWireOrderAsInRfc6455Section5_7() {
        // §5.7: "Hello" masked with 37 fa 21 3d is 7f 9f 4d 51 58
        byte[] hello = "Hello".getBytes();
        Masking.unmask(hello, 0, 5, 0x37FA213D, 0);
        assertThat(hello).containsExactly(0x7f, 0x9f, 0x4d, 0x51, 0x58);
    }
}
