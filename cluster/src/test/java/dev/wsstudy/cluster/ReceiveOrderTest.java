package dev.wsstudy.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReceiveOrderTest {

    private final ReceiveOrder order = new ReceiveOrder();

    @Test
    void consecutiveSequencesMissNothing() {
        for (long seq = 1; seq <= 5; seq++) assertThat(order.accept("r", 1, 1, seq)).isZero();
    }

    @Test
    void aJumpCountsTheMessagesInBetweenAsMissed() {
        order.accept("r", 1, 1, 1);
        assertThat(order.accept("r", 1, 1, 5)).isEqualTo(3);
        assertThat(order.accept("r", 1, 1, 6)).isZero();
    }

    @Test
    void aRepeatedOrOlderSequenceIsADuplicate() {
        order.accept("r", 1, 1, 1);
        order.accept("r", 1, 1, 2);
        assertThat(order.accept("r", 1, 1, 2)).isEqualTo(ReceiveOrder.DUPLICATE);
        assertThat(order.accept("r", 1, 1, 1)).isEqualTo(ReceiveOrder.DUPLICATE);
    }

    @Test
    void joiningLateOrANewEpochIsNotALoss() {
        assertThat(order.accept("r", 1, 1, 57)).isZero(); // first sight: whatever came before is not ours
        assertThat(order.accept("r", 1, 2, 1)).isZero();  // the publisher's room started over
        assertThat(order.accept("r", 1, 2, 2)).isZero();
    }

    @Test
    void publishersAndRoomsAreTrackedSeparately() {
        order.accept("r", 1, 1, 1);
        order.accept("r", 2, 1, 10);
        order.accept("s", 1, 1, 100);
        assertThat(order.accept("r", 1, 1, 2)).isZero();
        assertThat(order.accept("r", 2, 1, 11)).isZero();
        assertThat(order.accept("s", 1, 1, 101)).isZero();
    }

    @Test
    void unsequencedMessagesAreNeverCheckedAndForgottenRoomsHoldNothing() {
        assertThat(order.accept("r", 1, 0, 0)).isZero();
        assertThat(order.accept("r", 1, 0, 0)).isZero();
        order.accept("r", 1, 1, 1);
        order.forget("r");
        assertThat(order.roomsTracked()).isZero();
        assertThat(order.accept("r", 1, 1, 9)).isZero();
    }
}
