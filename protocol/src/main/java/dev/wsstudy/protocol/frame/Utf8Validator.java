package dev.wsstudy.protocol.frame;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Incremental UTF-8 validation (RFC 3629 §4; RFC 6455 §8.1) as a small deterministic automaton
 * whose state survives between calls, so a text message split into fragments and reads is
 * validated piece by piece, and rejected at the <em>first byte</em> after which no continuation
 * could make it valid (the second-byte ranges of E0, ED, F0 and F4 are separate states, which
 * catches overlongs, surrogates and code points above U+10FFFF one byte early).
 *
 * <p>The automaton follows the table of well-formed byte sequences (Unicode §3.9, Table 3-7).
 * Runs of ASCII are skipped eight bytes at a time while the automaton is between characters.
 *
 * <p>One instance per text message in progress (it is only an {@code int}); not thread-safe.
 */
public final class Utf8Validator {
    // Automaton states. Each state's row in TRANSITIONS starts at state * CLASSES.
    private static final int ACCEPT = 0;      // between characters
    private static final int REJECT = 1;      // can never become valid again
    private static final int NEED_1 = 2;      // one continuation byte 80..BF to go
    private static final int NEED_2 = 3;      // two continuation bytes to go
    private static final int AFTER_E0 = 4;    // E0: next must be A0..BF (no overlongs)
    private static final int AFTER_ED = 5;    // ED: next must be 80..9F (no surrogates)
    private static final int NEED_3 = 6;      // three continuation bytes to go
    private static final int AFTER_F0 = 7;    // F0: next must be 90..BF (no overlongs)
    private static final int AFTER_F4 = 8;    // F4: next must be 80..8F (nothing above U+10FFFF)
    private static final int STATES = 9;

    // Byte classes.
    private static final int ASCII = 0;       // 00..7F
    private static final int CONT_LOW = 1;    // 80..8F
    private static final int CONT_MID = 2;    // 90..9F
    private static final int CONT_HIGH = 3;   // A0..BF
    private static final int INVALID = 4;     // C0, C1, F5..FF
    private static final int LEAD_2 = 5;      // C2..DF
    private static final int LEAD_E0 = 6;
    private static final int LEAD_3 = 7;      // E1..EC, EE, EF
    private static final int LEAD_ED = 8;
    private static final int LEAD_F0 = 9;
    private static final int LEAD_4 = 10;     // F1..F3
    private static final int LEAD_F4 = 11;
    private static final int CLASSES = 12;

    private static final byte[] CLASS_OF = new byte[256];
    private static final byte[] TRANSITIONS = new byte[STATES * CLASSES];
    private static final VarHandle ARRAY_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BUFFER_LONG =
            MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;

    static {
        for (int b = 0; b < 256; b++) {
            CLASS_OF[b] = (byte) classify(b);
        }
        java.util.Arrays.fill(TRANSITIONS, (byte) REJECT);
        on(ACCEPT, ASCII, ACCEPT);
        on(ACCEPT, LEAD_2, NEED_1);
        on(ACCEPT, LEAD_E0, AFTER_E0);
        on(ACCEPT, LEAD_3, NEED_2);
        on(ACCEPT, LEAD_ED, AFTER_ED);
        on(ACCEPT, LEAD_F0, AFTER_F0);
        on(ACCEPT, LEAD_4, NEED_3);
        on(ACCEPT, LEAD_F4, AFTER_F4);
        for (int cont : new int[] {CONT_LOW, CONT_MID, CONT_HIGH}) {
            on(NEED_1, cont, ACCEPT);
            on(NEED_2, cont, NEED_1);
            on(NEED_3, cont, NEED_2);
        }
        on(AFTER_E0, CONT_HIGH, NEED_1);
        on(AFTER_ED, CONT_LOW, NEED_1);
        on(AFTER_ED, CONT_MID, NEED_1);
        on(AFTER_F0, CONT_MID, NEED_2);
        on(AFTER_F0, CONT_HIGH, NEED_2);
        on(AFTER_F4, CONT_LOW, NEED_2);
    }

    private static int classify(int b) {
        if (b <= 0x7F) {
            return ASCII;
        } else if (b <= 0x8F) {
            return CONT_LOW;
        } else if (b <= 0x9F) {
            return CONT_MID;
        } else if (b <= 0xBF) {
            return CONT_HIGH;
        } else if (b <= 0xC1) {
            return INVALID;
        } else if (b <= 0xDF) {
            return LEAD_2;
        } else if (b == 0xE0) {
            return LEAD_E0;
        } else if (b == 0xED) {
            return LEAD_ED;
        } else if (b <= 0xEF) {
            return LEAD_3;
        } else if (b == 0xF0) {
            return LEAD_F0;
        } else if (b <= 0xF3) {
            return LEAD_4;
        } else if (b == 0xF4) {
            return LEAD_F4;
        }
        return INVALID;
    }

    private static void on(int state, int byteClass, int next) {
        TRANSITIONS[state * CLASSES + byteClass] = (byte) next;
    }

    private int state = ACCEPT;

    /**
     * Feeds {@code bytes[from, to)}. Returns {@code false} as soon as the input seen so far can no
     * longer be the start of valid UTF-8 (and keeps returning false).
     */
    public boolean update(byte[] bytes, int from, int to) {
        int s = state;
        int i = from;
        while (i < to) {
            if (s == ACCEPT) {
                // Skip ASCII a word at a time: no byte has its high bit set.
                while (i + 8 <= to && ((long) ARRAY_LONG.get(bytes, i) & HIGH_BITS) == 0) {
                    i += 8;
                }
                if (i == to) {
                    break;
                }
            }
            s = TRANSITIONS[s * CLASSES + CLASS_OF[bytes[i] & 0xFF]];
            if (s == REJECT) {
                state = REJECT;
                return false;
            }
            i++;
        }
        state = s;
        return true;
    }

    /** Feeds {@code buffer}'s remaining bytes without moving its position. */
    public boolean update(ByteBuffer buffer) {
        if (buffer.hasArray()) {
            int base = buffer.arrayOffset();
            return update(buffer.array(), base + buffer.position(), base + buffer.limit());
        }
        // Direct buffers (the servers' read buffers): same loop through a buffer view.
        int s = state;
        int i = buffer.position();
        int to = buffer.limit();
        while (i < to) {
            if (s == ACCEPT) {
                while (i + 8 <= to && ((long) BUFFER_LONG.get(buffer, i) & HIGH_BITS) == 0) {
                    i += 8;
                }
                if (i == to) {
                    break;
                }
            }
            s = TRANSITIONS[s * CLASSES + CLASS_OF[buffer.get(i) & 0xFF]];
            if (s == REJECT) {
                state = REJECT;
                return false;
            }
            i++;
        }
        state = s;
        return true;
    }

    /** Whether everything fed so far is complete, valid UTF-8 (no character cut off at the end). */
    public boolean isComplete() {
        return state == ACCEPT;
    }

    /** Whether the input has already been found invalid. */
    public boolean isRejected() {
        return state == REJECT;
    }

    /** Starts over for a new message. */
    public void reset() {
        state = ACCEPT;
    }

    /** Whether {@code bytes[from, to)} is complete, valid UTF-8. */
    public static boolean isValid(byte[] bytes, int from, int to) {
        Utf8Validator v = new Utf8Validator();
        return v.update(bytes, from, to) && v.isComplete();
    }

    /** Whether {@code buffer}'s remaining bytes are complete, valid UTF-8 (position unchanged). */
    public static boolean isValid(ByteBuffer buffer) {
        Utf8Validator v = new Utf8Validator();
        return v.update(buffer) && v.isComplete();
    }
}
