package dev.wsstudy.microbench;

import dev.wsstudy.protocol.frame.FrameEncoder;
import dev.wsstudy.protocol.frame.Opcode;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encoding one frame (RFC 6455 §5.2) into a new heap buffer: the server's unmasked frame (what an
 * echo reply or a {@code PreparedMessage} costs) and the client's masked frame (a copy plus the
 * XOR of §5.3). Score: frames per second; payload bytes per second = score × size.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class FrameEncoderBenchmark {

    @Param({"16", "125", "4096", "65536", "1048576"})
    public int size;

    byte[] payload;

    @Setup
    public void setup() {
        payload = Payloads.randomBytes(size, 5);
    }

    @Benchmark
    public ByteBuffer serverFrame() {
        return FrameEncoder.serverFrame(Opcode.BINARY, true, payload, 0, size);
    }

    @Benchmark
    public ByteBuffer clientFrame() {
        return FrameEncoder.clientFrame(Opcode.BINARY, true, payload, Payloads.MASK_KEY);
    }
}
