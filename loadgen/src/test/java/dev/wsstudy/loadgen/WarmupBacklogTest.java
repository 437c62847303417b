package dev.wsstudy.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsstudy.loadgen.measure.HlogFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The measured period counts only messages intended in it. A server that stalls across the end of
 * the warm-up leaves a backlog of messages intended during the warm-up; answered inside the
 * period, they would push the achieved rate above the offered one. They are counted apart
 * ({@code scenarioDetails.warmupBacklogAnswered}) and kept out of the latency histograms.
 */
class WarmupBacklogTest {
    @Test
    void aWarmupBacklogAnsweredInTheMeasuredPeriodIsNotCountedInIt(@TempDir Path out) throws Exception {
        try (TestWsServer server = new TestWsServer()) {
            // Message 1,200 is intended 1.2 s in; the stall holds every answer until ~2.6 s, past
            // the 2 s warm-up, so ~800 messages intended in the warm-up are answered after it.
            JsonNode s = RunFixture.echoRateThroughAStall(out, server, 1_200, 1_400, 2, 2);

            // 2 s at 1,000/s: at most 2,000 messages are intended in the period (+1 for rounding).
            assertThat(s.get("received").asLong()).isLessThanOrEqualTo(2_001);
            assertThat(s.get("achievedRate").asDouble()).isLessThanOrEqualTo(s.get("offeredRate").asDouble() * 1.001);
            assertThat(s.at("/scenarioDetails/warmupBacklogAnswered").asLong()).isGreaterThan(100);
            // The histograms hold the same messages the count does (interval edges aside).
            long measured = RunFixture.measured(out, HlogFiles.CORRECTED, s).getTotalCount();
            assertThat(measured).isLessThanOrEqualTo(2_001);
            assertThat(s.at("/latency/corrected/count").asLong()).isEqualTo(measured);
        }
    }
}
