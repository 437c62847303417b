package dev.wsstudy.protocol.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsstudy.protocol.frame.Opcode;
import dev.wsstudy.protocol.testing.Client;
import dev.wsstudy.protocol.testing.Harness;
import dev.wsstudy.protocol.testing.RecordingEndpoint.Received;
import dev.wsstudy.protocol.testing.ServerOutput;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random valid streams (handshake, fragmented text and binary messages with pings between the
 * fragments, characters cut across fragments) split at every possible boundary or at random ones:
 * the session must deliver exactly the same messages and pongs whatever the reads look like.
 */
class RandomizedSplitTest {
    private static final String[] CHARACTERS = {"a", "Z", " ", "é", "ß", "€", "κ", "😀", "\u0000", "\uFFFF"};

    private record Stream(byte[] bytes, List<Received> messages, int pings) {
    }

    private static Stream randomStream(Random random, int messageCount, int maxLength) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(Client.upgrade("/test"));
        List<Received> messages = new ArrayList<>();
        int pings = 0;
        for (int m = 0; m < messageCount; m++) {
            boolean text = random.nextBoolean();
            byte[] payload;
            if (text) {
                StringBuilder s = new StringBuilder();
                int chars = random.nextInt(maxLength / 2 + 1);
                for (int i = 0; i < chars; i++) {
                    s.append(CHARACTERS[random.nextInt(CHARACTERS.length)]);
                }
                payload = s.toString().getBytes(StandardCharsets.UTF_8);
            } else {
                payload = new byte[random.nextInt(maxLength + 1)];
                random.nextBytes(payload);
            }
            messages.add(new Received(text, payload));
            int fragments = 1 + random.nextInt(4);
            int from = 0;
            for (int f = 0; f < fragments; f++) {
                boolean last = f == fragments - 1;
                int to = last ? payload.length : from + random.nextInt(payload.length - from + 1);
                byte[] piece = java.util.Arrays.copyOfRange(payload, from, to); // may cut a character
                int opcode = f == 0 ? (text ? Opcode.TEXT : Opcode.BINARY) : Opcode.CONTINUATION;
                out.writeBytes(Client.bytes(dev.wsstudy.protocol.frame.FrameEncoder.clientFrame(opcode, last, piece,
                        random.nextInt())));
                if (random.nextInt(3) == 0) {
                    byte[] ping = new byte[random.nextInt(126)];
                    out.writeBytes(Client.bytes(dev.wsstudy.protocol.frame.FrameEncoder.clientFrame(Opcode.PING, true, ping,
                            random.nextInt())));
                    pings++;
                }
                from = to;
            }
        }
        return new Stream(out.toByteArray(), messages, pings);
    }

    private static void assertDelivered(Harness h, Stream stream, String how) {
        assertThat(h.endpoint.messages).as(how).hasSize(stream.messages().size());
        for (int i = 0; i < stream.messages().size(); i++) {
            Received expected = stream.messages().get(i);
            Received actual = h.endpoint.messages.get(i);
            assertThat(actual.text()).as(how).isEqualTo(expected.text());
            assertThat(actual.payload()).as("%s message %d", how, i).isEqualTo(expected.payload());
        }
        long pongs = h.output().frames().stream().filter(f -> f.opcode() == Opcode.PONG).count();
        assertThat(pongs).as(how).isEqualTo(stream.pings());
        assertThat(h.session.isOpen()).as(how).isTrue();
        assertThat(h.output().frames()).extracting(ServerOutput.Frame::opcode).doesNotContain(Opcode.CLOSE);
    }

    @Test
    void streamSplitInTwoAtEveryBoundaryDeliversTheSameMessages() {
        Stream stream = randomStream(new Random(42), 6, 40);
        for (int cut = 0; cut <= stream.bytes().length; cut++) {
            Harness h = new Harness();
            byte[] copy = stream.bytes().clone();
            h.session.receive(ByteBuffer.wrap(copy, 0, cut), h.now);
            h.session.receive(ByteBuffer.wrap(copy, cut, copy.length - cut), h.now);
            assertDelivered(h, stream, "cut at " + cut);
        }
    }

    @Test
    void streamFedOneByteAtATimeDeliversTheSameMessages() {
        Stream stream = randomStream(new Random(7), 20, 300);
        Harness h = new Harness();
        h.feedInChunks(stream.bytes(), 1);
        assertDelivered(h, stream, "byte by byte");
    }

    @Test
    void manyRandomStreamsSplitAtRandomBoundariesDeliverTheSameMessages() {
        Random random = new Random(6455);
        for (int round = 0; round < 300; round++) {
            Stream stream = randomStream(random, 1 + random.nextInt(10), random.nextInt(5) == 0 ? 70_000 : 200);
            Harness h = new Harness();
            byte[] bytes = stream.bytes().clone();
            int at = 0;
            while (at < bytes.length) {
                int n = Math.min(bytes.length - at, 1 + random.nextInt(random.nextBoolean() ? 10 : 5000));
                h.session.receive(ByteBuffer.wrap(bytes, at, n), h.now);
                at += n;
            }
            assertDelivered(h, stream, "round " + round);
        }
    }
}
