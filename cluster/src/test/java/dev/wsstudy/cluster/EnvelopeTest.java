package dev.wsstudy.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsstudy.app.PreparedMessage;
import org.junit.jupiter.api.Test;

class EnvelopeTest {

    @Test
    void anEnvelopeCarriesNodeEpochSequenceAndTheFrameUnchanged() {
        PreparedMessage chat = PreparedMessage.text("{\"type\":\"chat\",\"body\":\"héllo\"}");
        byte[] bytes = Envelope.encode(0x1234_5678_9abc_def0L, chat.bytes());
        Envelope.stamp(bytes, 7, 42);

        assertThat(Envelope.node(bytes)).isEqualTo(0x1234_5678_9abc_def0L);
        Envelope.Decoded d = Envelope.decode(bytes);
        assertThat(d.node()).isEqualTo(0x1234_5678_9abc_def0L);
        assertThat(d.epoch()).isEqualTo(7);
        assertThat(d.seq()).isEqualTo(42);
        assertThat(d.message().bytes()).isEqualTo(chat.bytes());
        assertThat(d.message().isText()).isTrue();
    }

    @Test
    void anUnstampedEnvelopeIsUnsequenced() {
        Envelope.Decoded d = Envelope.decode(Envelope.encode(5, PreparedMessage.text("x").bytes()));
        assertThat(d.epoch()).isZero();
        assertThat(d.seq()).isZero();
    }

    @Test
    void foreignOrDamagedBytesAreRefusedWithAReason() {
        byte[] good = Envelope.encode(5, PreparedMessage.text("hello").bytes());
        Envelope.stamp(good, 1, 1);

        assertThatThrownBy(() -> Envelope.decode("hello world, these bytes are not ours".getBytes()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("magic");
        assertThatThrownBy(() -> Envelope.node(new byte[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too short");
        byte[] cut = java.util.Arrays.copyOf(good, good.length - 1);
        assertThatThrownBy(() -> Envelope.decode(cut))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length field");
        byte[] halfStamped = good.clone();
        Envelope.stamp(halfStamped, 0, 9);
        assertThatThrownBy(() -> Envelope.decode(halfStamped))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("epoch/sequence");
    }
}
