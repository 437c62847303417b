package dev.wsstudy.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** tsung.log and tsung-fullstats.log as tsung 1.7 writes them (shapes copied from a real run's files). */
class TsungLogTest {
    /** Five 1-s intervals: nothing yet, ramp (3), 4, 5, then tsung's partial one at shutdown (2). */
    static final String LOG = """
            # stats: dump at 1795818260
            stats: users_count 0 0
            stats: finish_users_count 0 0
            # stats: dump at 1795818261
            stats: {cpu,"tsung_controller@vm"} 1 73.7 0 73.7 73.7 0 0
            stats: users_count 50 50
            stats: request 3 2.09 4.03 30.552 0.04 0 0
            stats: connect 50 3.0 0.04 3.043 2.962 0 0
            # stats: dump at 1795818262
            stats: request 4 3.32 7.15 73.723 0.04 2.09 3
            stats: page 4 3.32 7.15 73.723 0.04 2.09 3
            # stats: dump at 1795818263
            stats: request 5 3.90 9.90 76.76 0.04 3.16 7
            stats: error_connect_econnrefused 2 2
            # stats: dump at 1795818264
            stats: request 2 2.49 2.94 76.76 0.04 3.32 12
            stats: error_abort 1 1
            EndMonitor:{1795,818264,753571}
            """;

    /** 14 request samples in ms, batched unlike the intervals, among connect and page samples. */
    static final String FULLSTATS = """
            [{sample,{cpu,"tsung_controller@vm"},73.29909267108779},
             {sample_counter,{recvpackets,"tsung_controller@vm"},0}]
            [{sum,websocket_succ,2},
             {sum,size_sent,217902}]
            {sample,connect,[3.043,2.962]}
            {sample,request,
                    [9.0,9.0,9.0,0.1,
                     0.2]}
            {sample,page,[9.0,9.0,9.0,0.1,0.2]}
            {sample,request,[0.3,0.4,0.5,0.6,0.7,0.8,0.9,1.0,1.0e1]}
            {sample,request,[7.5]}
            """;

    @Test
    void requestSamplesAreReadInFileOrderAndOtherSampleKindsAreIgnored() {
        assertThat(TsungLog.requestSamplesMs(FULLSTATS))
                .containsExactly(9.0, 9.0, 9.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 10.0, 7.5);
    }

    @Test
    void intervalsCountRequestsAndErrorsPerDump() {
        TsungLog log = TsungLog.parse(LOG);
        assertThat(log.intervals).extracting(TsungLog.Interval::requests).containsExactly(0L, 3L, 4L, 5L, 2L);
        assertThat(log.intervals).extracting(TsungLog.Interval::errors).containsExactly(0L, 0L, 0L, 2L, 1L);
        assertThat(log.totalRequests()).isEqualTo(14);
        assertThat(log.errorTotals).containsEntry("error_connect_econnrefused", 2L).containsEntry("error_abort", 1L);
    }

    @Test
    void warmUpSamplesAreCutByTheLogsCountsAndTheRestIsTheMeasuredPeriod() {
        // Interval 0 is the ramp (first with answers): warm-up 1 cuts its 3 samples (the 9 ms ones);
        // the measured 2 intervals hold the next 9 samples (0.1 .. 0.9 ms); the partial last one is out.
        TsungLog.Window w = TsungLog.parse(LOG).window(TsungLog.requestSamplesMs(FULLSTATS), 1, 2, 1.0);
        assertThat(w.count()).isEqualTo(9);
        assertThat(w.throughput()).isEqualTo(4.5);
        assertThat(w.p50Us()).isCloseTo(500, within(1e-6));
        assertThat(w.p99Us()).isCloseTo(900, within(1e-6));
        assertThat(w.maxUs()).isCloseTo(900, within(1e-6));
        assertThat(w.meanUs()).isCloseTo(500, within(1e-6));
        assertThat(w.errors()).isEqualTo(2);
        assertThat(w.startEpochS()).isEqualTo(1795818261L);
        assertThat(w.endEpochS()).isEqualTo(1795818263L);
    }

    @Test
    void percentilesAreNearestRankOfTheSortedSamples() {
        double[] hundred = new double[100];
        for (int i = 0; i < 100; i++) {
            hundred[i] = i + 1;
        }
        assertThat(TsungLog.percentile(hundred, 50)).isEqualTo(50);
        assertThat(TsungLog.percentile(hundred, 99)).isEqualTo(99);
        assertThat(TsungLog.percentile(hundred, 99.9)).isEqualTo(100);
        assertThat(TsungLog.percentile(new double[] {7}, 50)).isEqualTo(7);
        assertThat(TsungLog.percentile(new double[0], 50)).isNaN();
    }

    @Test
    void aRunShorterThanWarmUpPlusDurationIsAClearError() {
        assertThatThrownBy(() -> TsungLog.parse(LOG).window(TsungLog.requestSamplesMs(FULLSTATS), 1, 3, 1.0))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("3 full intervals")
                .hasMessageContaining("4 were needed");
    }

    @Test
    void fewerSamplesThanTheLogCountsIsAClearError() {
        assertThatThrownBy(() -> TsungLog.parse(LOG).window(new double[] {1, 2, 3}, 1, 2, 1.0))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("holds 3 request samples")
                .hasMessageContaining("counts 12");
    }

    @Test
    void aRunWithoutAnyAnswerIsAClearError() {
        String none = "# stats: dump at 1\nstats: users_count 0 0\n# stats: dump at 2\nstats: websocket_fail 5 5\n";
        TsungLog log = TsungLog.parse(none);
        assertThat(log.errorTotals).containsEntry("websocket_fail", 5L);
        assertThatThrownBy(() -> log.window(new double[0], 1, 1, 1.0)).hasMessageContaining("no request");
    }

    @Test
    void anUnterminatedSampleIsRefused() {
        assertThatThrownBy(() -> TsungLog.requestSamplesMs("{sample,request,[0.1,0.2"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unterminated");
    }
}
