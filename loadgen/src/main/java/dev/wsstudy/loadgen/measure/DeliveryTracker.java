package dev.wsstudy.loadgen.measure;

import java.util.BitSet;

/**
 * Checks the chat messages one member receives from one sender (RFC-free rule of our chat
 * protocol: delivery in per-sender order, each message once). Sequence numbers start at 0.
 * <ul>
 * <li>{@code seq == expected}: in order.</li>
 * <li>{@code seq > expected}: the ones in between are missing for now (lost, unless they arrive later).</li>
 * <li>{@code seq < expected} and missing: it arrived after a later one: <b>reordered</b>.</li>
 * <li>{@code seq < expected} and not missing: seen before: <b>duplicated</b>.</li>
 * </ul>
 * At the end, whatever is still missing, plus whatever the sender sent beyond the last one seen,
 * is <b>lost</b>. Memory stays O(1) while nothing goes wrong (the gap set is created lazily).
 * One thread at a time (the member's event loop).
 */
public final class DeliveryTracker {
    private int expected;
    private BitSet missing;
    private long delivered, duplicated, reordered;

    public void onDelivery(int seq) {
        delivered++;
        if (seq == expected) {
            expected++;
        } else if (seq > expected) {
            if (missing == null) missing = new BitSet();
            missing.set(expected, seq);
            expected = seq + 1;
        } else if (missing != null && seq >= 0 && missing.get(seq)) {
            missing.clear(seq);
            reordered++;
        } else {
            duplicated++;
        }
    }

    public long delivered() { return delivered; }
    public long duplicated() { return duplicated; }
    public long reordered() { return reordered; }

    /** Messages never received, given how many the sender sent in total. */
    public long lost(long sentBySender) {
        long gaps = missing == null ? 0 : missing.cardinality();
        return gaps + Math.max(0, sentBySender - expected);
    }
}
