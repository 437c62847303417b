package dev.wsstudy.microbench;

import dev.wsstudy.protocol.frame.FrameEncoder;
import dev.wsstudy.protocol.frame.Opcode;
import java.nio.ByteBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Encoding one frame (RFC 6455 §5.2) into a new heap buffer: the server's unmasked frame (what an
 * echo reply or a {@code PreparedMessage} costs) and the client's masked frame (a copy plus the
 * XOR of §5.3). Score: frames per second; payload bytes per second = score × size.
 */
@State(Scope.Thread)
public class FrameEncoderBenchmark extends StandardRun {

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
