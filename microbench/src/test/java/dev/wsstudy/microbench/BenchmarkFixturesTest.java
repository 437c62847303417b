package dev.wsstudy.microbench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsstudy.app.PreparedMessage;
import dev.wsstudy.protocol.frame.Masking;
import dev.wsstudy.protocol.handshake.Handshake;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The benchmarks' fixtures compute what they claim to, so a broken fixture fails the build instead
 * of producing a fast wrong number. No timing here: that is what the benchmarks are for.
 */
class BenchmarkFixturesTest {
    static final int[] SIZES = {16, 125, 4096, 65536, 1048576};

    @Test
    void everyUnmaskingVariantComputesWhatTheByteLoopComputes() {
        for (int size : SIZES) {
            MaskingBenchmark b = new MaskingBenchmark();
            b.size = size;
            b.setup();
            byte[] expected = b.array.clone();
            Masking.unmaskBytewise(expected, 0, size, Payloads.MASK_KEY, 0);
            byte[] viaByteLoop = b.byteLoop().clone();
            byte[] viaWords = b.wordAtATime().clone(); // unmasks again: back to the input
            ByteBuffer direct = b.wordAtATimeDirect();
            byte[] viaDirect = new byte[size];
            direct.get(0, viaDirect);
            assertThat(viaByteLoop).as("size %d", size).isEqualTo(expected);
            assertThat(viaDirect).as("size %d", size).isEqualTo(expected);
            assertThat(viaWords).as("size %d", size).isEqualTo(Payloads.randomBytes(size, 1));
        }
    }

    @ParameterizedTest
    @EnumSource(Payloads.Text.class)
    void benchmarkTextIsValidUtf8OfExactlyTheRequestedLengthAndItsKind(Payloads.Text kind) {
        for (int size : SIZES) {
            byte[] text = Payloads.text(kind, size, 6);
            assertThat(text).hasSize(size);
            String decoded = new String(text, StandardCharsets.UTF_8);
            assertThat(decoded.getBytes(StandardCharsets.UTF_8)).isEqualTo(text); // round trip: no U+FFFD
            long ascii = decoded.chars().filter(c -> c < 0x80).count();
            double asciiShare = (double) ascii / decoded.length();
            if (size >= 4096) {
                switch (kind) {
                    case ASCII -> assertThat(asciiShare).isEqualTo(1.0);
                    case MIXED -> assertThat(asciiShare).isBetween(0.75, 0.95);
                    case MULTIBYTE -> assertThat(asciiShare).isLessThan(0.01);
                }
            }
        }
    }

    @Test
    void allUtf8VariantsAcceptEveryBenchmarkText() {
        for (String kind : new String[] {"ascii", "mixed", "multibyte"}) {
            for (int size : SIZES) {
                Utf8ValidatorBenchmark b = new Utf8ValidatorBenchmark();
                b.text = kind;
                b.textBytes = size;
                b.setup(); // throws when a variant rejects one of the texts
                assertThat(b.pool.length).as("%s %d", kind, size).isEqualTo(b.heap.length * size)
                        .isGreaterThanOrEqualTo(Math.min(size, Utf8ValidatorBenchmark.POOL_BYTES / 2));
                if (b.heap.length > 1) {
                    assertThat(b.heap[0].clear()).as("different texts").isNotEqualTo(b.heap[b.mask].clear());
                }
                assertThat(b.direct[b.mask].clear()).isEqualTo(b.heap[b.mask].clear());
                for (int t = 0; t <= 2 * b.mask + 1; t++) {
                    assertThat(b.ours() && b.oursDirect() && b.jdkDecoder()).as("%s %d", kind, size).isTrue();
                }
            }
        }
    }

    @Test
    void decoderFixturesDeliverEveryFrameAndEveryPayloadByteAndEndAtAFrameBoundary() {
        FrameDecoderBenchmark bench = new FrameDecoderBenchmark();
        for (int size : SIZES) {
            FrameDecoderBenchmark.Whole w = new FrameDecoderBenchmark.Whole();
            w.size = size;
            w.setup();
            assertThat(bench.wholeFrame(w)).isEqualTo(size);
            assertThat(bench.wholeFrame(w)).isEqualTo(2L * size);
            assertThat(w.listener.frames).isEqualTo(2);
            assertThat(w.decoder.isAtFrameBoundary()).isTrue();
        }
        for (int size : new int[] {16, 125}) {
            FrameDecoderBenchmark.Stream s = new FrameDecoderBenchmark.Stream();
            s.frameSize = size;
            s.setup();
            assertThat(bench.streamOfSmallFrames(s)).isEqualTo((long) FrameDecoderBenchmark.STREAM_FRAMES * size);
            assertThat(s.listener.frames).isEqualTo(FrameDecoderBenchmark.STREAM_FRAMES);
            assertThat(s.decoder.isAtFrameBoundary()).isTrue();
        }
        for (int size : new int[] {4096, 65536, 1048576}) {
            FrameDecoderBenchmark.Split s = new FrameDecoderBenchmark.Split();
            s.splitSize = size;
            s.setup();
            assertThat(s.reads.length).isGreaterThan(size / FrameDecoderBenchmark.READ_BYTES);
            assertThat(bench.frameSplitAcrossReads(s)).isEqualTo(size);
            assertThat(s.listener.frames).isEqualTo(1);
            assertThat(s.listener.headers).isEqualTo(1);
            assertThat(s.decoder.isAtFrameBoundary()).isTrue();
        }
    }

    @Test
    void splitReadsCoverTheFrameExactlyInOrder() {
        ByteBuffer whole = ByteBuffer.wrap(Payloads.randomBytes(5000, 9));
        ByteBuffer[] reads = FrameDecoderBenchmark.splitIntoReads(whole, 1460);
        assertThat(Arrays.stream(reads).mapToInt(ByteBuffer::remaining)).containsExactly(1460, 1460, 1460, 620);
        ByteBuffer joined = ByteBuffer.allocate(5000);
        for (ByteBuffer r : reads) {
            joined.put(r.duplicate());
        }
        assertThat(joined.array()).isEqualTo(Payloads.randomBytes(5000, 9));
    }

    @Test
    void encoderBenchmarksProduceFramesOfHeaderPlusPayload() {
        FrameEncoderBenchmark b = new FrameEncoderBenchmark();
        b.size = 65536;
        b.setup();
        assertThat(b.serverFrame().remaining()).isEqualTo(10 + 65536);
        assertThat(b.clientFrame().remaining()).isEqualTo(14 + 65536);
    }

    @Test
    void handshakeBenchmarkUpgradesTheBrowserRequestWithTheRfcAcceptKey() {
        HandshakeBenchmark b = new HandshakeBenchmark();
        assertThat(b.acceptKey()).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="); // RFC 6455 §1.3
        assertThat(b.parseRequest().header("User-Agent")).contains("Chrome");
        Handshake.Outcome outcome = b.parseAndAnswer();
        assertThat(outcome).isInstanceOf(Handshake.Outcome.Upgrade.class);
        ByteBuffer response = ((Handshake.Outcome.Upgrade) outcome).response();
        assertThat(StandardCharsets.ISO_8859_1.decode(response.duplicate()).toString())
                .startsWith("HTTP/1.1 101").contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 100, 10000})
    void broadcastDeliversTheSameFrameToEveryMemberInBothModes(int members) {
        RoomBroadcastBenchmark b = new RoomBroadcastBenchmark();
        b.members = members;
        b.payloadBytes = 125;
        b.setup();
        int frameLength = PreparedMessage.text(b.text).frameLength();
        assertThat(b.encodeOnceShared()).isEqualTo(members);
        assertThat(b.encodePerMember()).isEqualTo(members);
        for (RoomFixture f : new RoomFixture[] {b.shared, b.perMember}) {
            assertThat(f.registry.membersOf(RoomFixture.ROOM)).isEqualTo(members);
            assertThat(f.deliveredFrames()).isEqualTo(members);
            assertThat(f.deliveredBytes()).isEqualTo((long) members * frameLength);
        }
        ByteBuffer shared = b.shared.peer(members - 1).last;
        ByteBuffer own = b.perMember.peer(members - 1).last;
        assertThat(own).isEqualTo(shared).isEqualTo(PreparedMessage.text(b.text).bytes());
        assertThat(own.isReadOnly()).isFalse(); // a copy of its own
        assertThat(shared.isReadOnly()).isTrue(); // a view of the one encoding
    }

    @Test
    void everyWriteStrategyDeliversEveryByteOverLoopbackWithTheExpectedNumberOfWrites() throws Exception {
        WriteCoalescingBenchmark b = new WriteCoalescingBenchmark();
        b.frames = 16;
        b.payloadBytes = 125;
        b.setup();
        try {
            long batch = Arrays.stream(b.queued).mapToLong(ByteBuffer::remaining).sum();
            assertThat(batch).isEqualTo(16L * (2 + 125));
            assertThat(b.separateWrites()).isEqualTo(16);
            assertThat(b.gatheringWrite()).isEqualTo(1);
            assertThat(b.copyIntoWriteBuffer()).isEqualTo(1);
            assertThat(b.sink.awaitDrained(3 * batch, 10, TimeUnit.SECONDS)).isTrue();
            assertThat(b.sink.drainedBytes()).isEqualTo(3 * batch);
        } finally {
            b.tearDown();
        }
    }

    @Test
    void writeBufferCopiesFramesInOrderAndFlushesWhenFull() throws Exception {
        ByteBuffer[] frames = WriteCoalescingBenchmark.queuedFrames(5, 125); // 5 × 127 bytes
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (ByteBuffer f : frames) {
            byte[] b = new byte[f.remaining()];
            f.duplicate().get(b);
            expected.write(b);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int writes = FrameWriter.copyIntoWriteBuffer(Channels.newChannel(out), frames, ByteBuffer.allocate(200));
        assertThat(out.toByteArray()).isEqualTo(expected.toByteArray());
        assertThat(writes).isEqualTo(4); // 635 bytes through a 200-byte buffer
        assertThat(frames).allSatisfy(f -> assertThat(f.hasRemaining()).isFalse());
    }
}
