package dev.wsstudy.microbench;

import dev.wsstudy.protocol.frame.Masking;
import java.nio.ByteBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Unmasking a payload in place (RFC 6455 §5.3), the one per-byte cost of every client frame.
 * {@code Masking.unmask} works eight bytes at a time; {@code Masking.unmaskBytewise} is the plain
 * byte loop of the RFC's formula. The direct-buffer variant is what the servers run: they read into
 * direct buffers and the decoder unmasks there.
 *
 * <p>Score: payloads per second (one operation = {@code size} bytes); payload bytes per second =
 * score × size (summary.md shows MB/s). Unmasking twice restores the input, so the same array is
 * used for every operation: the work is identical whether it currently holds masked or plain bytes.
 */
@State(Scope.Thread)
public class MaskingBenchmark extends StandardRun {

    @Param({"16", "125", "4096", "65536", "1048576"})
    public int size;

    byte[] array;
    ByteBuffer direct;

    @Setup
    public void setup() {
        array = Payloads.randomBytes(size, 1);
        direct = ByteBuffer.allocateDirect(size).put(array).clear();
    }

    @Benchmark
    public byte[] wordAtATime() {
        Masking.unmask(array, 0, size, Payloads.MASK_KEY, 0);
        return array;
    }

    @Benchmark
    public ByteBuffer wordAtATimeDirect() {
        Masking.unmask(direct, 0, size, Payloads.MASK_KEY, 0);
        return direct;
    }

    @Benchmark
    public byte[] byteLoop() {
        Masking.unmaskBytewise(array, 0, size, Payloads.MASK_KEY, 0);
        return array;
    }
}
