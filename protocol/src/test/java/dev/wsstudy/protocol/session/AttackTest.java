package dev.wsstudy.protocol.session;

import static dev.wsstudy.protocol.testing.Client.frame;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wsstudy.protocol.ProtocolConfig;
import dev.wsstudy.protocol.frame.Opcode;
import dev.wsstudy.protocol.testing.Harness;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Regression tests for known attacks on WebSocket servers: memory and work stay bounded. */
class AttackTest {

    @Test
    void floodOfOneByteFragmentsGrowsMemoryOnlyWithTheBytesSentUpToTheMessageLimit() {
        int limit = 64 * 1024;
        Harness h = Harness.open(ProtocolConfig.defaults().withMaxMessageBytes(limit));
        h.feed(frame(Opcode.BINARY, false, new byte[] {1}));
        byte[] fragment = frame(Opcode.CONTINUATION, false, new byte[] {1});
        ByteArrayOutputStream burst = new ByteArrayOutputStream();
        for (int i = 0; i < 1000; i++) {
            burst.writeBytes(fragment);
        }
        byte[] thousand = burst.toByteArray();
        int sent = 1;
        while (sent + 1000 <= limit) {
            h.feed(thousand);
            sent += 1000;
            assertThat(h.session.reassemblyCapacity()).isLessThanOrEqualTo(Math.min(limit, 2 * sent));
        }
        assertThat(h.session.isOpen()).isTrue();
        h.feed(thousand); // crosses the limit: rejected from the fragment header that crosses it
        assertThat(h.closeCodeSent()).isEqualTo(1009);
        assertThat(h.session.reassemblyCapacity()).as("released on failure").isZero();
    }

    @Test
    void endlessEmptyContinuationFramesAllocateNothing() {
        Harness h = Harness.open();
        h.feed(frame(Opcode.TEXT, false, new byte[0]));
        byte[] empty = frame(Opcode.CONTINUATION, false, new byte[0]);
        ByteArrayOutputStream burst = new ByteArrayOutputStream();
        for (int i = 0; i < 10_000; i++) {
            burst.writeBytes(empty);
        }
        for (int i = 0; i < 10; i++) {
            h.feed(burst.toByteArray());
        }
        assertThat(h.session.reassemblyCapacity()).isZero();
        assertThat(h.session.isOpen()).isTrue();
    }

    @Test
    void declaredLengthIsNeverAllocatedUpFront() {
        Harness h = Harness.open(); // 16 MiB limits
        byte[] frame = frame(Opcode.BINARY, true, new byte[16 * 1024 * 1024]);
        h.feed(java.util.Arrays.copyOf(frame, 14 + 10)); // header + mask + 10 payload bytes
        assertThat(h.session.isOpen()).isTrue();
        assertThat(h.session.reassemblyCapacity()).isLessThanOrEqualTo(256);
    }

    @Test
    void sixtyFourBitLengthThatOverflowsIsRejectedFromTheHeader() {
        Harness h = Harness.open();
        h.feed(HexFormat.of().parseHex("82ffffffffffffffffff"));
        assertThat(h.closeCodeSent()).isEqualTo(1002);
        assertThat(h.session.reassemblyCapacity()).isZero();
    }

    @Test
    void sixtyFourBitLengthOverTheLimitIsRejectedFromTheHeaderWith1009() {
        Harness h = Harness.open();
        h.feed(HexFormat.of().parseHex("82ff7fffffffffffffff"));
        assertThat(h.closeCodeSent()).isEqualTo(1009);
        assertThat(h.session.reassemblyCapacity()).isZero();
    }

    @Test
    void thousandsOfHeadersAreCutOffAt431() {
        StringBuilder s = new StringBuilder("GET /test HTTP/1.1\r\n");
        for (int i = 0; i < 10_000; i++) {
            s.append("X: y\r\n");
        }
        Harness h = new Harness(ProtocolConfig.defaults().withMaxHandshakeBytes(1 << 20));
        h.feed(s.toString().getBytes(StandardCharsets.US_ASCII));
        assertThat(h.output().status()).isEqualTo(431);
        assertThat(h.transport.closed()).isTrue();
    }

    @Test
    void veryLongHeaderLineIsCutOffAt431AndTheParserDropped() {
        Harness h = new Harness();
        byte[] line = ("GET /test HTTP/1.1\r\nX: " + "a".repeat(100_000)).getBytes(StandardCharsets.US_ASCII);
        ByteBuffer in = ByteBuffer.wrap(line);
        h.session.receive(in, h.now);
        assertThat(h.output().status()).isEqualTo(431);
        assertThat(h.session.holdsHandshakeParser()).isFalse();
    }

    @Test
    void handshakeDrippedOneByteAtATimeIsDroppedAtTheTimeout() {
        ProtocolConfig config = ProtocolConfig.defaults();
        Harness h = new Harness(config);
        byte[] slow = "GET /test HTTP/1.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
        long start = h.now;
        for (int i = 0; i < slow.length; i++) {
            h.now = start + i * 100_000_000L; // one byte every 100 ms
            h.feed(new byte[] {slow[i]});
            h.session.tick(h.now);
        }
        for (int i = 0; h.session.state() == SessionState.CONNECTING && i < 1000; i++) {
            h.now += 100_000_000L;
            h.feed(new byte[] {'a'});
            h.session.tick(h.now);
        }
        assertThat(h.session.state()).isEqualTo(SessionState.CLOSED);
        assertThat(h.now - start).isLessThanOrEqualTo(config.handshakeTimeoutNanos());
        assertThat(h.events).containsExactly("timedOut handshake");
    }

    @Test
    void controlFramesFloodingBetweenFragmentsDoNotGrowTheMessageBuffer() {
        Harness h = Harness.open();
        h.feed(frame(Opcode.TEXT, false, "a".getBytes(StandardCharsets.US_ASCII)));
        int before = h.session.reassemblyCapacity();
        byte[] pong = frame(Opcode.PONG, true, new byte[125]);
        for (int i = 0; i < 5000; i++) {
            h.feed(pong);
        }
        assertThat(h.session.reassemblyCapacity()).isEqualTo(before);
        assertThat(h.session.isOpen()).isTrue();
    }
}
