package dev.wsstudy.protocol;

/** Close status codes (RFC 6455 §7.4) and the rules for which may appear on the wire. */
public final class CloseCodes {
    public static final int NORMAL = 1000;
    public static final int GOING_AWAY = 1001;
    public static final int PROTOCOL_ERROR = 1002;
    public static final int UNSUPPORTED_DATA = 1003;
    /** Reserved: "no status code was present". Never sent on the wire (§7.4.1). */
    public static final int NO_STATUS = 1005;
    /** Reserved: "closed abnormally, without a close frame". Never sent on the wire (§7.4.1). */
    public static final int ABNORMAL = 1006;
    public static final int INVALID_PAYLOAD = 1007;
    public static final int POLICY_VIOLATION = 1008;
    public static final int TOO_BIG = 1009;
    public static final int MANDATORY_EXTENSION = 1010;
    public static final int INTERNAL_ERROR = 1011;

    private CloseCodes() {
    }

    /**
     * Whether a peer may put {@code code} in a close frame (§7.4.1, §7.4.2): the defined codes
     * 1000–1003 and 1007–1011, and the registered/private ranges 3000–4999. Everything else
     * (0–999, 1004–1006, 1012–2999, 5000+) is a protocol error (1002). 1012–1014 were registered
     * with IANA after RFC 6455; this implementation sticks to the RFC and the project's docs.
     */
    public static boolean isValidOnWire(int code) {
        return (code >= 1000 && code <= 1003)
                || (code >= 1007 && code <= 1011)
                || (code >= 3000 && code <= 4999);
    }
}
