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
 * <p><b>Bound and overflow policy.</b> The bound applies to the bytes still queued; a batch the
 * drainer has taken (at most {@link #MAX_BATCH_BYTES}, or one larger frame) is on its way to the
 * socket and no longer counts, so a client that keeps reading is never mistaken for a slow one
 * while its writer is inside a write call. An offer that would take the queue past the bound fails:
 * every frame still queued is dropped (a batch the drainer holds is finished, so the stream stays
 * frame-aligned), the outbox is marked {@link #overflowed()} and {@code offer} returns false. The
 * caller then closes the connection as a slow consumer (close 1008, then TCP after the close
 * timeout); the close frame fits because the queue was just emptied. A message larger than the
 * whole bound is accepted into an empty queue, so one big echo never counts as slowness. Memory
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
    /** Offered and not yet written: queued plus a batch the drainer holds. */
    private long pendingBytes;
    /** Still in the queue (not taken by the drainer): what the bound applies to. */
    private long queuedBytes;
    private boolean overflowed;

    /** Most bytes handed to one write call (one buffer larger than this goes alone). */
    public static final int MAX_BATCH_BYTES = 64 * 1024;

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
            if (queuedBytes > 0 && queuedBytes + size > maxBytes) {
                overflowed = true;
                dropQueued();
                return false;
            }
            if (queue == null) queue = new ArrayDeque<>(4);
            signal = queue.isEmpty();
            queue.addLast(view);
            pendingBytes += size;
            queuedBytes += size;
        } finally {
            lock.unlock();
        }
        if (signal) onNonEmpty.run();
        return true;
    }

    /**
     * Moves up to {@code max} queued buffers, and no more than {@link #MAX_BATCH_BYTES} (but at
     * least one buffer), into {@code batch[0..]}; returns how many. They leave the bounded queue at
     * once but stay counted in {@link #pendingBytes()} until reported {@link #written}. The byte cap
     * keeps a batch small: a blocking writer reports progress only when its write call returns.
     */
    public int poll(ByteBuffer[] batch, int max) {
        int n = Math.min(max, batch.length);
        lock.lock();
        try {
            if (queue == null) return 0;
            int taken = 0;
            long bytes = 0;
            while (taken < n && !queue.isEmpty() && (taken == 0 || bytes + queue.peekFirst().remaining() <= MAX_BATCH_BYTES)) {
                ByteBuffer b = queue.pollFirst();
                bytes += b.remaining();
                batch[taken++] = b;
            }
            queuedBytes -= bytes;
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
                if (batch[i].hasRemaining()) {
                    queue.addFirst(batch[i]);
                    queuedBytes += batch[i].remaining();
                }
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
        queuedBytes = 0;
        queue.clear();
    }

    /** True when buffers wait in the queue (a batch the drainer holds does not count). */
    public boolean hasQueued() {
        lock.lock();
        try {
            return queue != null && !queue.isEmpty();
        } finally {
            lock.unlock();
        }
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
