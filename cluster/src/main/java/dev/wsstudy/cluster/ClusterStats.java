package dev.wsstudy.cluster;

import java.util.concurrent.atomic.LongAdder;

/**
 * The cluster counters shown under {@code cluster} in {@code GET /stats} (docs/cluster.md lists
 * them). Many threads add (every broadcasting connection, the subscription reader); /stats sums.
 */
final class ClusterStats {
    /** Broadcasts Redis accepted (PUBLISH answered). */
    final LongAdder published = new LongAdder();
    /** Broadcasts not published: Redis was down, the command queue was full, or PUBLISH failed. */
    final LongAdder notPublished = new LongAdder();
    /** Messages from other nodes handed to local members. */
    final LongAdder received = new LongAdder();
    /** This node's own messages coming back from Redis (every subscriber gets them), dropped. */
    final LongAdder ignoredOwn = new LongAdder();
    /** Local sends made for messages from other nodes (a message to 10 local members counts 10). */
    final LongAdder deliveredLocal = new LongAdder();
    /** Other nodes' messages that never arrived here (sequence jumps). */
    final LongAdder missed = new LongAdder();
    /** Messages seen twice (dropped). */
    final LongAdder duplicates = new LongAdder();
    /** Messages on our channels that are not valid envelopes (dropped). */
    final LongAdder malformed = new LongAdder();
    /** Messages for a room with no local member any more (its unsubscribe was in flight; dropped). */
    final LongAdder stray = new LongAdder();
    /** Times the link to Redis went down / came back. */
    final LongAdder disconnects = new LongAdder();
    final LongAdder reconnects = new LongAdder();
    /** Sum and last of the outages, in ms. */
    final LongAdder totalGapMs = new LongAdder();
    volatile long lastGapMs;
    /** What went wrong with the last malformed message (for the log line). */
    volatile String lastMalformed = "";
}
