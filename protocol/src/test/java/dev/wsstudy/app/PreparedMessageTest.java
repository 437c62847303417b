package dev.wsstudy.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsstudy.protocol.frame.Opcode;
import dev.wsstudy.protocol.testing.ServerOutput;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class PreparedMessageTest {

    @Test
    void bytesAreAFreshReadOnlyViewEachTime() {
        PreparedMessage m = PreparedMessage.text("hello");
        ByteBuffer a = m.bytes();
        ByteBuffer b = m.bytes();
        assertThat(a.isReadOnly()).isTrue();
        a.position(a.limit());
        assertThat(b.remaining()).isEqualTo(7);
        assertThat(m.bytes().remaining()).isEqualTo(m.frameLength());
    }

    @Test
    void encodesAnUnmaskedServerFrame() {
        assertThat(ServerOutput.decodeFrames(PreparedMessage.text("hé").bytes()))
                .singleElement().satisfies(f -> {
                    assertThat(f.opcode()).isEqualTo(Opcode.TEXT);
                    assertThat(f.text()).isEqualTo("hé");
                });
        ByteBuffer payload = ByteBuffer.wrap(new byte[] {1, 2, 3});
        PreparedMessage binary = PreparedMessage.binary(payload);
        assertThat(payload.position()).isZero();
        assertThat(binary.isText()).isFalse();
        assertThat(binary.payloadLength()).isEqualTo(3);
        assertThat(ServerOutput.decodeFrames(binary.bytes()).get(0).payload()).containsExactly(1, 2, 3);
    }

    @Test
    void laterChangesToTheSourceDoNotLeakIntoThePreparedFrame() {
        byte[] source = {'a', 'b'};
        PreparedMessage m = PreparedMessage.binary(ByteBuffer.wrap(source));
        source[0] = 'z';
        assertThat(ServerOutput.decodeFrames(m.bytes()).get(0).payload()).containsExactly('a', 'b');
    }
}
