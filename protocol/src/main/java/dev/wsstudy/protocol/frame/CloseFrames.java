package dev.wsstudy.protocol.frame;

import dev.wsstudy.protocol.CloseCodes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** The rules for a received close frame's payload (RFC 6455 §5.5.1, §7.4). */
public final class CloseFrames {

    /** A parsed close payload; {@code code} is 1005 when the payload was empty. */
    public record Close(int code, String reason) {
    }

    private CloseFrames() {
    }

    /**
     * Parses a close payload (position 0 to limit): empty → 1005 with no reason; one byte →
     * 1002; a code not allowed on the wire → 1002; a reason that is not UTF-8 → 1007.
     */
    public static Close parse(ByteBuffer payload) {
        int length = payload.remaining();
        if (length == 0) {
            return new Close(CloseCodes.NO_STATUS, "");
        }
        if (length == 1) {
            throw new ProtocolException(CloseCodes.PROTOCOL_ERROR, "close payload of 1 byte (RFC 6455 5.5.1)");
        }
        int p = payload.position();
        int code = ((payload.get(p) & 0xFF) << 8) | (payload.get(p + 1) & 0xFF);
        if (!CloseCodes.isValidOnWire(code)) {
            throw new ProtocolException(CloseCodes.PROTOCOL_ERROR, "close code " + code + " not allowed (RFC 6455 7.4)");
        }
        ByteBuffer reason = payload.slice(p + 2, length - 2);
        if (!Utf8Validator.isValid(reason)) {
            throw new ProtocolException(CloseCodes.INVALID_PAYLOAD, "close reason is not valid UTF-8 (RFC 6455 5.5.1)");
        }
        return new Close(code, StandardCharsets.UTF_8.decode(reason).toString());
    }
}
