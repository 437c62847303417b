package dev.wsstudy.server.core;

import dev.wsstudy.protocol.CloseCodes;
import dev.wsstudy.protocol.frame.FrameEncoder;
import java.nio.ByteBuffer;

/**
 * The slow-consumer policy's shared pieces (see {@link Outbox}): the close frame every server
 * queues when a connection's outbox overflows, and the one log line and counter for it.
 * Code 1008 (policy violation) rather than 1013 (try again later, not in RFC 6455 itself): the
 * client broke the server's policy of reading what it is sent.
 */
public final class SlowConsumer {

    public static final String REASON = "slow consumer";

    /** Encoded once; read-only, so the same bytes serve every slow connection. */
    public static final ByteBuffer CLOSE_FRAME =
            FrameEncoder.serverClose(CloseCodes.POLICY_VIOLATION, REASON).asReadOnlyBuffer();

    private SlowConsumer() {
    }

    public static void report(ServerContext ctx, String remote, Outbox outbox) {
        ctx.stats.slowConsumersClosed.increment();
        ctx.log.warn("slow-consumer", "remote", remote, "maxOutboxBytes", outbox.maxBytes(),
                "code", CloseCodes.POLICY_VIOLATION);
    }
}
