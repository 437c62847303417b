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
 * It only runs where it is needed. Between characters, ASCII is checked a {@code long} at a time
 * (64 bytes per step once a run is long), and the first non-ASCII byte of a word is found from its
 * high bits; a whole multi-byte character that lies in the input is checked by the same table's
 * ranges, written as branches, so consecutive characters do not wait on each other's table
 * lookups. Anything else (a character cut by the end of the input, any invalid byte, a character
 * left open by the previous call) goes through the automaton byte by byte, which therefore decides
 * every rejection and where it happens.
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
    /** Allowed range of the byte after each lead byte (Table 3-7); empty for non-leads. */
    private static final int[] SECOND_MIN = new int[256];
    private static final int[] SECOND_MAX = new int[256];

    static {
        for (int b = 0; b < 256; b++) {
            CLASS_OF[b] = (byte) classify(b);
            SECOND_MIN[b] = b == 0xE0 ? 0xA0 : b == 0xF0 ? 0x90 : 0x80;
            SECOND_MAX[b] = b == 0xED ? 0x9F : b == 0xF4 ? 0x8F : 0xBF;
            if (b < 0xC2 || b > 0xF4) {
                SECOND_MIN[b] = 0x100; // no second byte is in range
            }
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
        int i = from;
        if (state != ACCEPT) {
            if (state == REJECT) {
                return false;
            }
            if (i == to) {
                return true;
            }
            i = step(bytes, i, to);
            if (i < 0) {
                return false;
            }
        }
        // Between characters from here on (state == ACCEPT) until the automaton takes over.
        while (i < to) {
            // A non-ASCII byte right here (most of a CJK text) needs no word test.
            if (bytes[i] >= 0) {
                if (i + 8 > to) {
                    i++;
                    continue;
                }
                long high = (long) ARRAY_LONG.get(bytes, i) & HIGH_BITS;
                if (high == 0) {
                    i += 8;
                    // A whole word of ASCII: likely a long run, worth 64 bytes per test.
                    while (i + 64 <= to && (orOf8Words(bytes, i) & HIGH_BITS) == 0) {
                        i += 64;
                    }
                    continue;
                }
                i += Long.numberOfTrailingZeros(high) >>> 3; // the first non-ASCII byte (little-endian)
            }
            // bytes[i] is not ASCII: a whole well-formed character if it fits, else the automaton.
            int lead = bytes[i] & 0xFF;
            int n = lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
            if (i + n <= to) {
                int second = bytes[i + 1] & 0xFF;
                if (second >= SECOND_MIN[lead] && second <= SECOND_MAX[lead]
                        && (n < 3 || (bytes[i + 2] & 0xC0) == 0x80)
                        && (n < 4 || (bytes[i + 3] & 0xC0) == 0x80)) {
                    i += n;
                    continue;
                }
            }
            i = step(bytes, i, to);
            if (i < 0) {
                return false;
            }
        }
        return true;
    }

    private static long orOf8Words(byte[] bytes, int i) {
        long or = 0;
        for (int k = 0; k < 64; k += 8) {
            or |= (long) ARRAY_LONG.get(bytes, i + k);
        }
        return or;
    }

    /**
     * Runs the automaton from {@code bytes[i]} until it is between characters again or the input
     * ends; returns the next index, or -1 (state REJECT) at the first impossible byte.
     */
    private int step(byte[] bytes, int i, int to) {
        int s = state;
        do {
            s = TRANSITIONS[s * CLASSES + CLASS_OF[bytes[i] & 0xFF]];
            i++;
        } while (s > REJECT && i < to);
        state = s;
        return s == REJECT ? -1 : i;
    }

    /** Feeds {@code buffer}'s remaining bytes without moving its position. */
    public boolean update(ByteBuffer buffer) {
        if (buffer.hasArray()) {
            int base = buffer.arrayOffset();
            return update(buffer.array(), base + buffer.position(), base + buffer.limit());
        }
        // Direct buffers (the servers' read buffers): the same loop through a buffer view.
        int i = buffer.position();
        int to = buffer.limit();
        if (state != ACCEPT) {
            if (state == REJECT) {
                return false;
            }
            if (i == to) {
                return true;
            }
            i = step(buffer, i, to);
            if (i < 0) {
                return false;
            }
        }
        while (i < to) {
            // A non-ASCII byte right here (most of a CJK text) needs no word test.
            if (buffer.get(i) >= 0) {
                if (i + 8 > to) {
                    i++;
                    continue;
                }
                long high = (long) BUFFER_LONG.get(buffer, i) & HIGH_BITS;
                if (high == 0) {
                    i += 8;
                    while (i + 64 <= to && (orOf8Words(buffer, i) & HIGH_BITS) == 0) {
                        i += 64;
                    }
                    continue;
                }
                i += Long.numberOfTrailingZeros(high) >>> 3;
            }
            int lead = buffer.get(i) & 0xFF;
            int n = lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
            if (i + n <= to) {
                int second = buffer.get(i + 1) & 0xFF;
                if (second >= SECOND_MIN[lead] && second <= SECOND_MAX[lead]
                        && (n < 3 || (buffer.get(i + 2) & 0xC0) == 0x80)
                        && (n < 4 || (buffer.get(i + 3) & 0xC0) == 0x80)) {
                    i += n;
                    continue;
                }
            }
            i = step(buffer, i, to);
            if (i < 0) {
                return false;
            }
        }
        return true;
    }

    private static long orOf8Words(ByteBuffer buffer, int i) {
        long or = 0;
        for (int k = 0; k < 64; k += 8) {
            or |= (long) BUFFER_LONG.get(buffer, i + k);
        }
        return or;
    }

    private int step(ByteBuffer buffer, int i, int to) {
        int s = state;
        do {
            s = TRANSITIONS[s * CLASSES + CLASS_OF[buffer.get(i) & 0xFF]];
            i++;
        } while (s > REJECT && i < to);
        state = s;
        return s == REJECT ? -1 : i;
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
