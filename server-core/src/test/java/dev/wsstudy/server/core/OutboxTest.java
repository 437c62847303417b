package dev.wsstudy.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OutboxTest {

    private final AtomicInteger signals = new AtomicInteger();

    private static ByteBuffer bytes(int n, int fill) {
        ByteBuffer b = ByteBuffer.allocate(n);
        for (int i = 0; i < n; i++) b.put((byte) fill);
        return b.flip();
    }

    @Test
    void offersWithinTheBoundAreQueuedInOrder() {
        Outbox outbox = new Outbox(100, signals::incrementAndGet);
        assertThat(outbox.offer(bytes(40, 1))).isTrue();
        assertThat(outbox.offer(bytes(60, 2))).isTrue();
        assertThat(outbox.pendingBytes()).isEqualTo(100);
        ByteBuffer[] batch = new ByteBuffer[8];
        assertThat(outbox.poll(batch, 8)).isEqualTo(2);
        assertThat(batch[0].get(0)).isEqualTo((byte) 1);
        assertThat(batch[1].get(0)).isEqualTo((byte) 2);
    }

    @Test
    void offerPastTheBoundFailsDropsQueuedFramesAndMarksOverflow() {
        Outbox outbox = new Outbox(100, signals::incrementAndGet);
        outbox.offer(bytes(60, 1));
        assertThat(outbox.offer(bytes(41, 2))).isFalse();
        assertThat(outbox.overflowed()).isTrue();
        assertThat(outbox.pendingBytes()).isZero();
        assertThat(outbox.poll(new ByteBuffer[4], 4)).isZero();
    }

    @Test
    void closeFrameAfterOverflowFitsBecauseTheQueueWasEmptied() {
        Outbox outbox = new Outbox(100, signals::incrementAndGet);
        outbox.offer(bytes(90, 1));
        assertThat(outbox.offer(bytes(90, 2))).isFalse();
        assertThat(outbox.offer(bytes(15, 8))).isTrue();
        ByteBuffer[] batch = new ByteBuffer[4];
        assertThat(outbox.poll(batch, 4)).isEqualTo(1);
        assertThat(batch[0].get(0)).isEqualTo((byte) 8);
    }

    @Test
    void messageLargerThanTheBoundIsAcceptedIntoAnEmptyOutboxOnly() {
        Outbox outbox = new Outbox(100, signals::incrementAndGet);
        assertThat(outbox.offer(bytes(500, 1))).isTrue();
        assertThat(outbox.offer(bytes(1, 2))).isFalse();
        assertThat(outbox.overflowed()).isTrue();
    }

    @Test
    void batchHeldByTheDrainerSurvivesOverflowSoTheStreamStaysFrameAligned() {
        Outbox outbox = new Outbox(100, signals::incrementAndGet);
        outbox.offer(bytes(50, 1));
        ByteBuffer[] batch = new ByteBuffer[4];
        assertThat(outbox.poll(batch, 4)).isEqualTo(1);
        batch[0].position(20); // a partial non-blocking write
        outbox.written(20);
        outbox.offer(bytes(40, 2));
        assertThat(outbox.offer(bytes(70, 3))).isFalse(); // queued 40 + 70 > 100 (the 30 in flight do not count)
        outbox.pushBack(batch, 0, 1);
        assertThat(outbox.pendingBytes()).isEqualTo(30);
        ByteBuffer[] again = new ByteBuffer[4];
        assertThat(outbox.poll(again, 4)).isEqualTo(1);
        assertThat(again[0].remaining()).isEqualTo(30);
        assertThat(again[0].get(again[0].position())).isEqualTo((byte) 1);
    }

    @Test
    void offerNeverChangesTheCallersBufferSoOneBroadcastCanBeShared() {
        ByteBuffer shared = bytes(10, 7);
        Outbox a = new Outbox(100, () -> { });
        Outbox b = new Outbox(100, () -> { });
        a.offer(shared);
        b.offer(shared);
        ByteBuffer[] batch = new ByteBuffer[1];
        a.poll(batch, 1);
        batch[0].position(batch[0].limit());
        assertThat(shared.remaining()).isEqualTo(10);
        b.poll(batch, 1);
        assertThat(batch[0].remaining()).isEqualTo(10);
    }

    @Test
    void signalFiresOnlyWhenTheQueueGoesFromEmptyToNonEmpty() {
        Outbox outbox = new Outbox(1000, signals::incrementAndGet);
        outbox.offer(bytes(1, 1));
        outbox.offer(bytes(1, 1));
        assertThat(signals).hasValue(1);
        outbox.poll(new ByteBuffer[8], 8);
        outbox.offer(bytes(1, 1));
        assertThat(signals).hasValue(2);
    }

    @Test
    void pollHonoursItsMaximumForOneFramePerWrite() {
        Outbox outbox = new Outbox(1000, () -> { });
        for (int i = 0; i < 3; i++) outbox.offer(bytes(1, i));
        assertThat(outbox.poll(new ByteBuffer[8], 1)).isEqualTo(1);
        assertThat(outbox.poll(new ByteBuffer[8], 8)).isEqualTo(2);
    }

    @Test
    void concurrentProducersLoseNothingAndKeepEachProducersOrder() throws Exception {
        int producers = 4;
        int perProducer = 20_000;
        // Room for everything: this test is about the queue under contention, not the bound.
        Outbox outbox = new Outbox(8L * producers * perProducer, () -> { });
        List<Thread> threads = startProducers(outbox, producers, perProducer, new AtomicInteger());
        int[] next = new int[producers];
        int received = 0;
        ByteBuffer[] batch = new ByteBuffer[64];
        while (received < producers * perProducer) {
            int n = outbox.poll(batch, batch.length);
            for (int i = 0; i < n; i++) {
                int id = batch[i].getInt();
                assertThat(batch[i].getInt()).isEqualTo(next[id]++);
            }
            outbox.written(8L * n);
            received += n;
            if (n == 0) Thread.onSpinWait();
        }
        for (Thread t : threads) t.join();
        assertThat(outbox.isDrained()).isTrue();
        assertThat(next).containsOnly(perProducer);
    }

    @Test
    void concurrentProducersNeverPushPendingBytesPastTheBound() throws Exception {
        long bound = 4096;
        Outbox outbox = new Outbox(bound, () -> { });
        AtomicInteger accepted = new AtomicInteger();
        List<Thread> threads = startProducers(outbox, 4, 20_000, accepted);
        long maxSeen = 0;
        while (threads.stream().anyMatch(Thread::isAlive)) {
            maxSeen = Math.max(maxSeen, outbox.pendingBytes());
        }
        for (Thread t : threads) t.join();
        assertThat(maxSeen).isLessThanOrEqualTo(bound);
        assertThat(outbox.overflowed()).isTrue();
        // What is still queued is exactly what pendingBytes claims.
        ByteBuffer[] batch = new ByteBuffer[1024];
        long queued = 0;
        for (int n; (n = outbox.poll(batch, batch.length)) > 0; ) {
            for (int i = 0; i < n; i++) queued += batch[i].remaining();
        }
        assertThat(queued).isEqualTo(outbox.pendingBytes()).isLessThanOrEqualTo(bound);
        assertThat(accepted.get()).isGreaterThan(0);
    }

    /** Producers offer 8-byte frames (producer id, sequence number) all at once. */
    private static List<Thread> startProducers(Outbox outbox, int producers, int perProducer, AtomicInteger accepted) {
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int id = p;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perProducer; i++) {
                    if (outbox.offer(ByteBuffer.allocate(8).putInt(id).putInt(i).flip())) accepted.incrementAndGet();
                }
            }));
        }
        start.countDown();
        return threads;
    }
    @Test
    void bytesTheDrainerHasTakenDoNotCountSoAReadingClientIsNeverASlowConsumer() {
        // A blocking writer books its bytes only when its write call returns; until then they are
        // on their way to a client that is reading. Only what still waits in the queue is bounded.
        Outbox outbox = new Outbox(100, signals::incrementAndGet);
        outbox.offer(bytes(90, 1));
        assertThat(outbox.poll(new ByteBuffer[4], 4)).isEqualTo(1); // in flight, not yet written
        assertThat(outbox.offer(bytes(90, 2))).isTrue();
        assertThat(outbox.overflowed()).isFalse();
        assertThat(outbox.pendingBytes()).isEqualTo(180);
        assertThat(outbox.offer(bytes(11, 3))).isFalse(); // queued 90 + 11 > 100
    }

    @Test
    void oneBatchCarriesAtMostMaxBatchBytesButAlwaysAtLeastOneBuffer() {
        Outbox outbox = new Outbox(1 << 24, signals::incrementAndGet);
        int frame = 10_000;
        for (int i = 0; i < 20; i++) outbox.offer(bytes(frame, i));
        ByteBuffer[] batch = new ByteBuffer[64];
        int n = outbox.poll(batch, 64);
        assertThat(n).isEqualTo(Outbox.MAX_BATCH_BYTES / frame);
        Outbox big = new Outbox(1 << 24, signals::incrementAndGet);
        big.offer(bytes(Outbox.MAX_BATCH_BYTES * 3, 1));
        big.offer(bytes(10, 2));
        assertThat(big.poll(batch, 64)).isEqualTo(1);
        assertThat(batch[0].remaining()).isEqualTo(Outbox.MAX_BATCH_BYTES * 3);
    }
}
