package dev.wsstudy.protocol.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 6455 §5.5.1 and §7.4: what a received close payload may contain. */
class CloseFramesTest {

    private static ByteBuffer payload(int code, byte... reason) {
        ByteBuffer b = ByteBuffer.allocate(2 + reason.length);
        b.putShort((short) code).put(reason).flip();
        return b;
    }

    @Test
    void emptyPayloadMeansNoStatus1005() {
        assertThat(CloseFrames.parse(ByteBuffer.allocate(0)).code()).isEqualTo(1005);
    }

    @Test
    void oneBytePayloadIsAProtocolError() {
        assertThatThrownBy(() -> CloseFrames.parse(ByteBuffer.wrap(new byte[] {3})))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.closeCode()).isEqualTo(1002));
    }

    @ParameterizedTest
    @ValueSource(ints = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999})
    void definedAndPrivateCodesAreAccepted(int code) {
        assertThat(CloseFrames.parse(payload(code, (byte) 'o', (byte) 'k'))).isEqualTo(new CloseFrames.Close(code, "ok"));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1012, 1013, 1014, 1015, 1016, 1100, 2000, 2999, 5000, 65535})
    void reservedAndUnassignedCodesAreProtocolErrors(int code) {
        assertThatThrownBy(() -> CloseFrames.parse(payload(code)))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.closeCode()).isEqualTo(1002));
    }

    @Test
    void reasonThatIsNotUtf8Is1007() {
        assertThatThrownBy(() -> CloseFrames.parse(payload(1000, (byte) 0xED, (byte) 0xA0, (byte) 0x80)))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.closeCode()).isEqualTo(1007));
    }
}
