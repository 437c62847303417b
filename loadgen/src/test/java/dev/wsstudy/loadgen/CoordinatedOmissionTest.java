package dev.wsstudy.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsstudy.loadgen.measure.HlogFiles;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wrk2 rule: in open loop, latency counts from the intended send time. A server that stalls
 * 500 ms once while messages are due at 1,000/s makes ~500 messages late; the corrected histogram
 * must show them spread from 500 ms down, while the uncorrected one (from the actual, delayed,
 * send time) sees only the few that were in flight when the stall began.
 */
class CoordinatedOmissionTest {
    @Test
    void correctedHistogramSpreadsAStallOverTheMessagesItDelayed(@TempDir Path out) throws Exception {
        try (TestWsServer server = new TestWsServer()) {
            // ~2.5 s into the run (warm-up 1 s): inside the measured period.
            JsonNode s = RunFixture.echoRateThroughAStall(out, server, 2_500, 500, 1, 4);
            assertThat(server.messages()).isGreaterThan(2_500);

            Histogram corrected = RunFixture.measured(out, HlogFiles.CORRECTED, s);
            Histogram uncorrected = RunFixture.measured(out, HlogFiles.UNCORRECTED, s);
            long correctedSlow = corrected.getCountBetweenValues(100_000, Long.MAX_VALUE / 4);
            long uncorrectedSlow = uncorrected.getCountBetweenValues(100_000, Long.MAX_VALUE / 4);

            // Every message that was due during the stall is measured from its intended time:
            // ~400 of the ~500 delayed ones wait more than 100 ms.
            assertThat(correctedSlow).isGreaterThan(250);
            assertThat(corrected.getValueAtPercentile(99)).isGreaterThan(100_000);
            assertThat(corrected.getMaxValue()).isGreaterThan(400_000);
            // Only the ~10 in flight (one per connection) saw the stall from their actual send time.
            assertThat(uncorrectedSlow).isGreaterThan(0);
            assertThat(correctedSlow).isGreaterThan(10 * uncorrectedSlow);
            assertThat(uncorrected.getValueAtPercentile(99)).isLessThan(100_000);
            // Both histograms count the same messages: the correction moves samples, it does not add any.
            assertThat(corrected.getTotalCount()).isEqualTo(uncorrected.getTotalCount());
            assertThat(s.at("/latency/corrected/count").asLong()).isEqualTo(corrected.getTotalCount());
        }
    }
}
