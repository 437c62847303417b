package dev.wsstudy.microbench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The run settings every benchmark here shares, in one place (JMH reads these annotations from a
 * superclass): throughput in operations per second, 2 forks, 3 warm-up and 5 measured iterations of
 * 1 s each. A benchmark extends this and declares only its own {@code @State}, {@code @Param}s and
 * methods; command-line options ({@code -f}, {@code -wi}, {@code -i}) still override these.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public abstract class StandardRun {
}
