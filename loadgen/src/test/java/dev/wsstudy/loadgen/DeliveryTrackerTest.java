package dev.wsstudy.loadgen;

import dev.wsstudy.loadgen.measure.DeliveryTracker;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Per-sender delivery rules: nothing lost, duplicated or reordered. */
class DeliveryTrackerTest {
    private static DeliveryTracker feed(int... seqs) {
        DeliveryTracker t = new DeliveryTracker();
        for (int s : seqs) t.onDelivery(s);
        return t;
    }

    @Test
    void inOrderDeliveryOfEverythingSentIsClean() {
        DeliveryTracker t = feed(0, 1, 2, 3, 4);
        assertThat(t.lost(5)).isZero();
        assertThat(t.duplicated()).isZero();
        assertThat(t.reordered()).isZero();
        assertThat(t.delivered()).isEqualTo(5);
    }

    @Test
    void aGapThatNeverFillsIsLost() {
        DeliveryTracker t = feed(0, 1, 4, 5);
        assertThat(t.lost(6)).isEqualTo(2);
        assertThat(t.reordered()).isZero();
    }

    @Test
    void messagesSentButNeverReceivedAtTheEndAreLost() {
        assertThat(feed(0, 1, 2).lost(5)).isEqualTo(2);
        assertThat(feed().lost(3)).isEqualTo(3);
    }

    @Test
    void aLateArrivalIsReorderedNotLost() {
        DeliveryTracker t = feed(0, 2, 1, 3);
        assertThat(t.reordered()).isEqualTo(1);
        assertThat(t.lost(4)).isZero();
        assertThat(t.duplicated()).isZero();
    }

    @Test
    void aRepeatIsDuplicated() {
        DeliveryTracker t = feed(0, 1, 1, 2, 0);
        assertThat(t.duplicated()).isEqualTo(2);
        assertThat(t.reordered()).isZero();
        assertThat(t.lost(3)).isZero();
    }

    @Test
    void aReorderedMessageDeliveredTwiceCountsOnceEach() {
        DeliveryTracker t = feed(1, 0, 0);
        assertThat(t.reordered()).isEqualTo(1);
        assertThat(t.duplicated()).isEqualTo(1);
        assertThat(t.lost(2)).isZero();
    }
}
