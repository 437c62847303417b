package dev.wsstudy.protocol.handshake;

/** HTTP token helpers (RFC 7230 §3.2.6), without regular expressions. */
final class Tokens {
    private static final boolean[] TCHAR = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 'a' + 'A'] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    private Tokens() {
    }

    static boolean isTchar(int c) {
        return c >= 0 && c < 128 && TCHAR[c];
    }

    /**
     * Whether the comma-separated list {@code value} (RFC 7230 §7) contains {@code token},
     * case-insensitively, ignoring optional whitespace around elements.
     */
    static boolean listContains(String value, String token) {
        int start = 0;
        int length = value.length();
        while (start <= length) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? length : comma;
            int a = start;
            int b = end;
            while (a < b && isOws(value.charAt(a))) {
                a++;
            }
            while (b > a && isOws(value.charAt(b - 1))) {
                b--;
            }
            if (b - a == token.length() && value.regionMatches(true, a, token, 0, token.length())) {
                return true;
            }
            if (comma < 0) {
                return false;
            }
            start = comma + 1;
        }
        return false;
    }

    /** Splits a comma-separated list into trimmed, non-empty elements, appending to {@code out}. */
    static void splitList(String value, java.util.List<String> out) {
        int start = 0;
        while (true) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? value.length() : comma;
            String element = value.substring(start, end).strip();
            if (!element.isEmpty()) {
                out.add(element);
            }
            if (comma < 0) {
                return;
            }
            start = comma + 1;
        }
    }

    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }
}
