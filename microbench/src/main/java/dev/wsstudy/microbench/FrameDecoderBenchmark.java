package dev.wsstudy.microbench;

import dev.wsstudy.protocol.ProtocolConfig;
import dev.wsstudy.protocol.frame.FrameDecoder;
import java.nio.ByteBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The server's incremental frame decoder (RFC 6455 §5.2) on masked client frames in direct buffers,
 * as the servers read them: header parsing, the frame rules, unmasking in place and slicing.
 * Three shapes of input:
 * <ul>
 *   <li>{@code wholeFrame}: one frame in one read;</li>
 *   <li>{@code streamOfSmallFrames}: {@value #STREAM_FRAMES} frames back to back in one read (a busy
 *       chat connection); one operation = one frame (JMH divides by the frame count);</li>
 *   <li>{@code frameSplitAcrossReads}: one frame arriving in reads of {@value #READ_BYTES} bytes, one
 *       TCP segment's payload on Ethernet: the decoder's worst case for a large frame.</li>
 * </ul>
 * Score: frames per second; payload bytes per second = score × size (or frameSize, splitSize).
 * Decoding unmasks in place, so each operation re-decodes bytes that alternate between masked and
 * plain: the decoder does not look at payload content, so the work is identical.
 */
public class FrameDecoderBenchmark extends StandardRun {
    public static final int STREAM_FRAMES = 1000;
    public static final int READ_BYTES = 1460;
    static final long MAX_FRAME_BYTES = ProtocolConfig.defaults().maxFrameBytes();

    @State(Scope.Thread)
    public static class Whole {
        @Param({"16", "125", "4096", "65536", "1048576"})
        public int size;
        final FrameDecoder decoder = FrameDecoder.forServer(MAX_FRAME_BYTES);
        final CountingListener listener = new CountingListener();
        ByteBuffer frame;

        @Setup
        public void setup() {
            frame = Payloads.clientFrames(1, size, 2);
        }
    }

    @State(Scope.Thread)
    public static class Stream {
        @Param({"16", "125"})
        public int frameSize;
        final FrameDecoder decoder = FrameDecoder.forServer(MAX_FRAME_BYTES);
        final CountingListener listener = new CountingListener();
        ByteBuffer frames;

        @Setup
        public void setup() {
            frames = Payloads.clientFrames(STREAM_FRAMES, frameSize, 3);
        }
    }

    @State(Scope.Thread)
    public static class Split {
        @Param({"4096", "65536", "1048576"})
        public int splitSize;
        final FrameDecoder decoder = FrameDecoder.forServer(MAX_FRAME_BYTES);
        final CountingListener listener = new CountingListener();
        ByteBuffer[] reads;

        @Setup
        public void setup() {
            reads = splitIntoReads(Payloads.clientFrames(1, splitSize, 4), READ_BYTES);
        }
    }

    /** Slices of {@code whole}, {@code readBytes} each (the last one shorter): what successive reads return. */
    public static ByteBuffer[] splitIntoReads(ByteBuffer whole, int readBytes) {
        int n = (whole.remaining() + readBytes - 1) / readBytes;
        ByteBuffer[] reads = new ByteBuffer[n];
        for (int i = 0; i < n; i++) {
            int from = whole.position() + i * readBytes;
            reads[i] = whole.slice(from, Math.min(readBytes, whole.limit() - from));
        }
        return reads;
    }

    @Benchmark
    public long wholeFrame(Whole s) {
        s.frame.clear();
        s.decoder.decode(s.frame, s.listener);
        return s.listener.payloadBytes;
    }

    @Benchmark
    @OperationsPerInvocation(STREAM_FRAMES)
    public long streamOfSmallFrames(Stream s) {
        s.frames.clear();
        s.decoder.decode(s.frames, s.listener);
        return s.listener.payloadBytes;
    }

    @Benchmark
    public long frameSplitAcrossReads(Split s) {
        for (ByteBuffer read : s.reads) {
            read.clear();
            s.decoder.decode(read, s.listener);
        }
        return s.listener.payloadBytes;
    }
}
