package dev.wsstudy.microbench;

import dev.wsstudy.app.PreparedMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Writing N queued small frames to a real loopback TCP socket drained by another thread (see
 * {@link LoopbackSink}): N separate writes, one gathering write, or copying into the seed's
 * per-connection write buffer and writing that once. The frames are {@link PreparedMessage} bytes,
 * read-only heap buffers, exactly what sits in a server's outbox (the JDK copies heap buffers into a
 * temporary direct buffer inside every write).
 *
 * <p>Score: batches of N frames per second; frames per second = score × frames. Two threads run:
 * the writer and the drainer (the other core of a 2-core machine).
 */
@State(Scope.Thread)
public class WriteCoalescingBenchmark extends StandardRun {
    public static final int WRITE_BUFFER_BYTES = 64 * 1024;

    @Param({"4", "16", "64"})
    public int frames;

    @Param({"16", "125"})
    public int payloadBytes;

    LoopbackSink sink;
    ByteBuffer[] queued;
    final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(WRITE_BUFFER_BYTES);

    @Setup
    public void setup() throws IOException {
        sink = LoopbackSink.open();
        queued = queuedFrames(frames, payloadBytes);
    }

    /** {@code n} encoded text frames as an outbox holds them. */
    public static ByteBuffer[] queuedFrames(int n, int payloadBytes) {
        ByteBuffer[] q = new ByteBuffer[n];
        for (int i = 0; i < n; i++) {
            q[i] = PreparedMessage.text(Payloads.text(Payloads.Text.ASCII, payloadBytes, 100 + i)).bytes();
        }
        return q;
    }

    @TearDown
    public void tearDown() throws IOException {
        sink.close();
    }

    private ByteBuffer[] rewound() {
        for (ByteBuffer b : queued) {
            b.rewind();
        }
        return queued;
    }

    @Benchmark
    public int separateWrites() throws IOException {
        return FrameWriter.separateWrites(sink.channel, rewound());
    }

    @Benchmark
    public int gatheringWrite() throws IOException {
        return FrameWriter.gatheringWrite(sink.channel, rewound());
    }

    @Benchmark
    public int copyIntoWriteBuffer() throws IOException {
        return FrameWriter.copyIntoWriteBuffer(sink.channel, rewound(), writeBuffer);
    }
}
