package dev.wsstudy.server.core;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A connection's outgoing queue: the one structure that crosses threads per connection, the same
 * class in all three servers.
 *
 * <p><b>Producers</b> (any thread: the connection's own reader, a broadcasting member's reader, the
 * event loop, a shutdown hook) call {@link #offer}. <b>One drainer</b> (the event loop, or the
 * connection's writer thread) calls {@link #poll}, writes outside the lock, reports
 * {@link #written} and, after a partial non-blocking write, {@link #pushBack}s the rest.
 *
 * <p><b>Bound and overflow policy.</b> {@link #pendingBytes()} counts everything offered and not yet
 * written, including a batch the drainer holds. An offer that would take it past the bound fails:
 * every frame still queued is dropped (a batch the drainer holds is finished, so the stream stays
 * frame-aligned), the outbox is marked {@link #overflowed()} and {@code offer} returns false. The
 * caller then closes the connection as a slow consumer (close 1008, then TCP after the close
 * timeout); the close frame fits because the queue was just emptied. A message larger than the
 * whole bound is accepted into an empty outbox, so one big echo never counts as slowness. Memory
 * per slow client is thus bounded by the bound, and the producer never waits for the consumer.
 *
 * <p><b>Signal.</b> {@code onNonEmpty} runs (outside the lock, on the offering thread) when an offer
 * makes the queue go from empty to non-empty: it wakes the event loop or unparks the writer thread.
 *
 * <p>Locking: a {@link ReentrantLock}, held only for queue operations, never around I/O or the
 * signal; no {@code synchronized}, so a virtual thread never pins a carrier here (JDK 21).
 */
public final class Outbox {

    private final ReentrantLock lock = new ReentrantLock();
    private final long maxBytes;
    private final Runnable onNonEmpty;
    /** Created on first use: a connection that never sends pays nothing for it. */
    private ArrayDeque<ByteBuffer> queue;
    private long pendingBytes;
    private boolean overflowed;

    public Outbox(long maxBytes, Runnable onNonEmpty) {
        if (maxBytes <= 0) throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        this.maxBytes = maxBytes;
        this.onNonEmpty = onNonEmpty;
    }

    /**
     * Queues the remaining bytes of {@code bytes} (never modified: the outbox writes through its own
     * view, so one broadcast buffer can sit in many outboxes). Returns false, dropping the queue,
     * when the bound would be exceeded; see the class comment.
     */
    public boolean offer(ByteBuffer bytes) {
        ByteBuffer view = bytes.duplicate();
        int size = view.remaining();
        boolean signal;
        lock.lock();
        try {
            if (pendingBytes > 0 && pendingBytes + size > maxBytes) {
                overflowed = true;
                dropQueued();
                return false;
            }
            if (queue == null) queue = new ArrayDeque<>(4);
            signal = queue.isEmpty();
            queue.addLast(view);
            pendingBytes += size;
        } finally {
            lock.unlock();
        }
        if (signal) onNonEmpty.run();
        return true;
    }

    /**
     * Moves up to {@code max} queued buffers into {@code batch[0..]}; returns how many. They stay
     * counted in {@link #pendingBytes()} until reported {@link #written}.
     */
    public int poll(ByteBuffer[] batch, int max) {
        int n = Math.min(max, batch.length);
        lock.lock();
        try {
            if (queue == null) return 0;
            int taken = 0;
            while (taken < n && !queue.isEmpty()) batch[taken++] = queue.pollFirst();
            return taken;
        } finally {
            lock.unlock();
        }
    }

    /** Returns the unwritten buffers {@code batch[from..to)} to the head of the queue, in order. */
    public void pushBack(ByteBuffer[] batch, int from, int to) {
        lock.lock();
        try {
            if (queue == null) queue = new ArrayDeque<>(Math.max(4, to - from));
            for (int i = to - 1; i >= from; i--) {
                if (batch[i].hasRemaining()) queue.addFirst(batch[i]);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The drainer wrote {@code bytes} more bytes to the socket. */
    public void written(long bytes) {
        lock.lock();
        try {
            pendingBytes -= bytes;
        } finally {
            lock.unlock();
        }
    }

    /** Drops everything queued (not a batch the drainer holds): on abort, or slow consumer. */
    public void clear() {
        lock.lock();
        try {
            dropQueued();
        } finally {
            lock.unlock();
        }
    }

    private void dropQueued() {
        if (queue == null) return;
        for (ByteBuffer b : queue) pendingBytes -= b.remaining();
        queue.clear();
    }

    /** True when nothing is queued or held by the drainer: everything offered has been written. */
    public boolean isDrained() {
        lock.lock();
        try {
            return pendingBytes == 0;
        } finally {
            lock.unlock();
        }
    }

    public long pendingBytes() {
        lock.lock();
        try {
            return pendingBytes;
        } finally {
            lock.unlock();
        }
    }

    /** True once an offer has overflowed the bound: the connection is a slow consumer. */
    public boolean overflowed() {
        lock.lock();
        try {
            return overflowed;
        } finally {
            lock.unlock();
        }
    }

    public long maxBytes() {
        return maxBytes;
    }
}
