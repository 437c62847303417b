package dev.wsstudy.loadgen.client;

import dev.wsstudy.loadgen.measure.Metrics;
import io.netty.channel.EventLoop;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Open-loop send schedule. Each event loop's connections form a {@link Lane} with its share of the
 * rate; message {@code j} of a lane is intended at {@code start + j * interval} and belongs to
 * connection {@code j mod n}. A platform thread wakes at the next intended time (parkNanos has
 * ~50 µs resolution, far finer than NIO's millisecond select timeout) and hands the lane one
 * batch task; the task, on the event loop, releases every message now due and records how late
 * each one is (schedule lag). Sending itself stays on the event loop: no per-message cross-thread
 * hand-off. A connection sends a released message when its in-flight cap and socket allow; the
 * message keeps its intended time however late it goes out (coordinated-omission correction).
 * <p>
 * A busy loop also releases what is due whenever it handles a frame ({@link Lane#releaseDue});
 * the pacer then finds the lane caught up and skips its task. Waking a loop costs a syscall on
 * each side (selector wake-up, then the select returning), which at one message per wake-up made
 * the open loop's CPU per message several times the closed loop's. Only an idle loop needs it.
 */
public final class Pacer implements AutoCloseable {
    public static final class Lane implements Runnable {
        final EventLoop loop;
        final Conn[] conns;
        final long startNanos, total;
        final double intervalNs;
        final Metrics metrics;
        final Consumer<Conn> trySend;
        final AtomicBoolean pending = new AtomicBoolean();
        /** Paced by its own loop's timer (epoll) instead of the pacer thread. */
        private boolean onLoopTimer;
        private volatile boolean stopped;
        /** Messages released to connections; written on the loop, read by the pacer to skip wake-ups. */
        private volatile long released;
        private long submittedUpTo;     // pacer side

        /** @param total messages this lane sends in the whole run; {@code trySend} runs on {@code loop}. */
        public Lane(EventLoop loop, Conn[] conns, long startNanos, double ratePerSec, long total,
                    Metrics metrics, Consumer<Conn> trySend) {
            this.loop = loop;
            this.conns = conns;
            this.startNanos = startNanos;
            this.intervalNs = 1e9 / ratePerSec;
            this.total = total;
            this.metrics = metrics;
            this.trySend = trySend;
            for (int i = 0; i < conns.length; i++) {
                conns[i].lane = this;
                conns[i].pos = i;
            }
        }

        /** Intended send time of the lane's message {@code j}. */
        public long intended(long j) {
            return startNanos + (long) (j * intervalNs);
        }

        /** Intended send time of {@code c}'s message number {@code k} (its sequence number). */
        public long intendedOf(Conn c, long k) {
            return intended(k * conns.length + c.pos);
        }

        long dueAt(long now) {
            if (now < startNanos) return 0;
            return Math.min(total, (long) ((now - startNanos) / intervalNs) + 1);
        }

        @Override public void run() {
            pending.set(false);
            if (stopped) return;
            releaseDue(System.nanoTime());
            if (onLoopTimer && released < total) {
                // One timer per lane, re-armed for the next intended time (it finds nothing due
                // if a reply already let the loop release that message).
                metrics.pacerTicks.increment();
                loop.schedule(this, intended(released) - System.nanoTime(), TimeUnit.NANOSECONDS);
            }
        }

        /**
         * On the loop: releases every message due at {@code now} and offers each affected
         * connection a send. The lag of each is {@code now - intended}: how late it was released.
         */
        public void releaseDue(long now) {
            long from = released, due = dueAt(now);
            if (due <= from) return;
            int n = conns.length;
            for (long j = from; j < due; j++) {
                Conn c = conns[(int) (j % n)];
                c.due++;
                metrics.scheduleLag.recordValue(Metrics.toUs(now - intended(j)));
            }
            released = due;
            // Second pass, so each connection's burst goes out in one go.
            for (long j = from; j < due && j < from + n; j++) trySend.accept(conns[(int) (j % n)]);
        }

        /** Messages released so far (any thread). */
        public long released() {
            return released;
        }
    }

    private final List<Lane> lanes;
    private final Metrics metrics;
    private final boolean onLoopTimers;
    private final Thread thread;
    private volatile boolean stopping;

    /**
     * @param onLoopTimers the loops' timers are precise ({@link WsClient#preciseTimers()}): each
     *                     lane paces itself on its loop and no pacer thread runs. A timed wake-up
     *                     is then one timerfd expiry on the loop, where the pacer thread costs a
     *                     park/unpark of its own plus a selector wake-up of the loop.
     */
    public Pacer(List<Lane> lanes, Metrics metrics, boolean onLoopTimers) {
        this.lanes = lanes;
        this.metrics = metrics;
        this.onLoopTimers = onLoopTimers;
        this.thread = Thread.ofPlatform().name("pacer").daemon().unstarted(this::loop);
    }

    public Pacer start() {
        if (onLoopTimers) {
            for (Lane l : lanes) {
                l.onLoopTimer = true;
                l.loop.execute(l);
            }
        } else {
            thread.start();
        }
        return this;
    }

    private void loop() {
        TimerSlack.tightenCurrentThread(); // this thread times the sends (see TimerSlack)
        while (!stopping) {
            long now = System.nanoTime();
            long wake = Long.MAX_VALUE;
            boolean more = false;
            for (Lane l : lanes) {
                long due = l.dueAt(now);
                // A loop busy with replies has usually released these itself: no wake-up then.
                if (due > l.submittedUpTo && due > l.released) {
                    metrics.pacerTicks.increment();
                    if (l.pending.compareAndSet(false, true)) {
                        l.loop.execute(l);
                    } else {
                        metrics.pacerBackups.increment(); // the loop has not run the last batch yet
                    }
                }
                l.submittedUpTo = Math.max(l.submittedUpTo, due);
                if (l.submittedUpTo < l.total) {
                    more = true;
                    wake = Math.min(wake, l.intended(l.submittedUpTo));
                }
            }
            if (!more) break;
            long wait = wake - System.nanoTime();
            if (wait > 0) LockSupport.parkNanos(wait);
        }
    }

    /** Waits until every message was released (the schedule's end) or stops early. */
    public void awaitEnd(long deadlineNanos) throws InterruptedException {
        long ms = Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000);
        thread.join(ms);
    }

    @Override public void close() {
        stopping = true;
        for (Lane l : lanes) l.stopped = true;
        if (onLoopTimers) return;
        LockSupport.unpark(thread);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
