package dev.wsstudy.microbench;

import dev.wsstudy.protocol.frame.Utf8Validator;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Validating a text message as UTF-8 (RFC 6455 §8.1 requires failing the connection on invalid
 * text). Ours is the incremental automaton {@link Utf8Validator}; the alternative a server could use
 * is the JDK's {@link CharsetDecoder} with malformed input reported, which validates by decoding
 * (into a reused {@link CharBuffer}, so neither side allocates per message).
 * <ul>
 *   <li>{@code ours} / {@code jdkDecoder}: the same heap bytes: the like-for-like comparison;</li>
 *   <li>{@code oursDirect}: our validator on a direct buffer, the path the servers take for a
 *       message that arrived in one read (the payload is a slice of the direct read buffer).</li>
 * </ul>
 * Each operation validates the next text of a pool of different texts (about 256 KiB in all, one
 * text of 1 MiB): a branch predictor learns one repeated text of a few KiB by heart, which flatters
 * a byte-at-a-time automaton, and network bytes are not in L1 either.
 *
 * <p>Score: messages per second; bytes per second = score × textBytes.
 */
@State(Scope.Thread)
public class Utf8ValidatorBenchmark extends StandardRun {

    @Param({"16", "125", "4096", "65536", "1048576"})
    public int textBytes;

    @Param({"ascii", "mixed", "multibyte"})
    public String text;

    /** Bytes of different texts per pool; a power-of-two count of texts, at least one. */
    public static final int POOL_BYTES = 256 * 1024;

    byte[] pool;
    ByteBuffer[] heap;
    ByteBuffer[] direct;
    int mask;
    int next;
    CharBuffer chars;
    final Utf8Validator validator = new Utf8Validator();
    final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    @Setup
    public void setup() {
        int count = Math.max(1, Integer.highestOneBit(POOL_BYTES / textBytes));
        Payloads.Text kind = Payloads.Text.valueOf(text.toUpperCase(Locale.ROOT));
        pool = new byte[count * textBytes];
        heap = new ByteBuffer[count];
        direct = new ByteBuffer[count];
        ByteBuffer directPool = ByteBuffer.allocateDirect(pool.length);
        for (int t = 0; t < count; t++) {
            System.arraycopy(Payloads.text(kind, textBytes, 6 + t), 0, pool, t * textBytes, textBytes);
            heap[t] = ByteBuffer.wrap(pool, t * textBytes, textBytes).slice();
            direct[t] = directPool.slice(t * textBytes, textBytes);
        }
        directPool.put(pool);
        mask = count - 1;
        chars = CharBuffer.allocate(textBytes);
        for (int t = 0; t < count; t++) {
            if (!ours() || !oursDirect() || !jdkDecoder()) {
                throw new IllegalStateException("benchmark text " + t + " is not valid UTF-8");
            }
        }
    }

    /** The index of the next text of the pool. */
    private int nextText() {
        next = (next + 1) & mask;
        return next;
    }

    @Benchmark
    public boolean ours() {
        int from = nextText() * textBytes;
        validator.reset();
        return validator.update(pool, from, from + textBytes) && validator.isComplete();
    }

    @Benchmark
    public boolean oursDirect() {
        validator.reset();
        return validator.update(direct[nextText()]) && validator.isComplete();
    }

    @Benchmark
    public boolean jdkDecoder() {
        ByteBuffer in = heap[nextText()];
        in.clear();
        chars.clear();
        decoder.reset();
        CoderResult r = decoder.decode(in, chars, true);
        return !r.isError() && !decoder.flush(chars).isError();
    }
}
