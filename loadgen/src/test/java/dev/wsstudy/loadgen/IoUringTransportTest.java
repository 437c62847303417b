package dev.wsstudy.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsstudy.loadgen.client.Transport;
import io.netty.channel.uring.IoUring;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code --transport io_uring} runs the echo scenarios against a real WebSocket server over
 * Netty's io_uring transport, closed loop and open loop (whose pacing runs on io_uring's own
 * timeouts), and the summary names the transport that ran.
 */
class IoUringTransportTest {
    @BeforeAll
    static void ioUringLoadsHere() {
        if (!IoUring.isAvailable()) {
            // Say why (kernel too old, io_uring_disabled, seccomp, no native library for this CPU).
            System.out.println("IoUringTransportTest skipped: io_uring unavailable: " + IoUring.unavailabilityCause());
        }
        assumeTrue(IoUring.isAvailable(), () -> "io_uring unavailable: " + IoUring.unavailabilityCause());
    }

    @Test
    void aClosedLoopEchoOverIoUringIsAnsweredAndNamesItsTransport(@TempDir Path out) throws Exception {
        try (TestWsServer server = new TestWsServer()) {
            JsonNode s = RunFixture.run(out, "--scenario=echo-closed", "--url=" + server.url("/echo"),
                    "--transport=io_uring", "--connections=5", "--in-flight=2", "--warmup-s=1", "--duration-s=1",
                    "--max-cpu-pct-of-budget=100000"); // the test server shares this JVM's CPU
            assertThat(s.at("/loadgen/transport").asText()).isEqualTo("io_uring");
            assertThat(s.at("/connect/succeeded").asInt()).isEqualTo(5);
            assertThat(s.get("received").asLong()).isPositive();
            assertThat(s.get("errors").asLong()).isZero();
            assertThat(s.get("status").asText()).isIn("ok", "loadgen-bottleneck");
        }
    }

    @Test
    void anOpenLoopPacedOnIoUringTimersSendsEveryScheduledMessage(@TempDir Path out) throws Exception {
        assertThat(Transport.IO_URING.preciseTimers).as("io_uring loops pace themselves (IORING_OP_TIMEOUT)").isTrue();
        try (TestWsServer server = new TestWsServer()) {
            JsonNode s = RunFixture.run(out, "--scenario=echo-rate", "--url=" + server.url("/echo"),
                    "--transport=io_uring", "--rate=500", "--connections=10", "--warmup-s=1", "--duration-s=2",
                    "--max-cpu-pct-of-budget=100000");
            assertThat(s.at("/loadgen/transport").asText()).isEqualTo("io_uring");
            assertThat(s.get("mode").asText()).isEqualTo("open");
            // 2 s at 500/s: 1,000 messages intended in the period. A reply 2 ms apart from the
            // next intended time releases nothing, so without the loop's timer firing the
            // schedule would stop after the first few messages. The last ones may still be
            // unreleased when the period ends on a busy machine (a late timer): hence the margin.
            assertThat(s.get("received").asLong()).isBetween(900L, 1_001L);
            assertThat(s.get("errors").asLong()).isZero();
            assertThat(s.at("/loadgen/p99ScheduleLagUs").isNumber()).isTrue();
        }
    }
}
