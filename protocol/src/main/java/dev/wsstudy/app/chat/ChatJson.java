package dev.wsstudy.app.chat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reading and writing the chat protocol's JSON (docs/wire-protocol.md) with Jackson's streaming
 * parser: no tree, and the {@code body} value is located by byte offsets so it is carried
 * <em>verbatim</em> (numbers, spacing, escapes as the sender wrote them).
 */
final class ChatJson {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final JsonStringEncoder ENCODER = JsonStringEncoder.getInstance();

    private ChatJson() {
    }

    /**
     * A parsed client message. {@code valid} is false when the bytes are not one JSON object.
     * String fields are null when absent; {@code *Mistyped} says they were present but not strings.
     */
    record Incoming(boolean valid, String type, String clientId, String roomId, boolean mistyped,
                    byte[] source, int bodyFrom, int bodyTo) {
        boolean hasBody() {
            return bodyFrom >= 0;
        }

        byte[] body() {
            return Arrays.copyOfRange(source, bodyFrom, bodyTo);
        }
    }

    private static final Incoming INVALID = new Incoming(false, null, null, null, false, null, -1, -1);

    static Incoming parse(byte[] json) {
        String type = null;
        String clientId = null;
        String roomId = null;
        boolean mistyped = false;
        int bodyFrom = -1;
        int bodyTo = -1;
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return INVALID;
            }
            boolean bodyOpen = false;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                if (bodyOpen) {
                    bodyTo = valueEnd(json, (int) p.currentTokenLocation().getByteOffset());
                    bodyOpen = false;
                }
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "type" -> type = stringOrNull(p, value);
                    case "clientId" -> clientId = stringOrNull(p, value);
                    case "roomId" -> roomId = stringOrNull(p, value);
                    case "body" -> {
                        bodyFrom = (int) p.currentTokenLocation().getByteOffset();
                        bodyOpen = true;
                    }
                    default -> {
                    }
                }
                if ((name.equals("type") || name.equals("clientId") || name.equals("roomId"))
                        && value != JsonToken.VALUE_STRING) {
                    mistyped = true;
                }
                p.skipChildren();
            }
            if (t != JsonToken.END_OBJECT) {
                return INVALID;
            }
            if (bodyOpen) {
                bodyTo = valueEnd(json, (int) p.currentTokenLocation().getByteOffset());
            }
            if (p.nextToken() != null) {
                return INVALID; // trailing content after the object
            }
        } catch (IOException | RuntimeException notJson) {
            return INVALID;
        }
        return new Incoming(true, type, clientId, roomId, mistyped, json, bodyFrom, bodyTo);
    }

    private static String stringOrNull(JsonParser p, JsonToken value) throws IOException {
        return value == JsonToken.VALUE_STRING ? p.getText() : null;
    }

    /** The end of a value that is followed (after whitespace and maybe a comma) by the token at {@code next}. */
    private static int valueEnd(byte[] json, int next) {
        int end = next;
        while (end > 0 && isSpace(json[end - 1])) {
            end--;
        }
        if (end > 0 && json[end - 1] == ',') {
            end--;
        }
        while (end > 0 && isSpace(json[end - 1])) {
            end--;
        }
        return end;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    /** {@code "text"} as a JSON string literal, UTF-8. */
    static byte[] quote(String text) {
        byte[] inner = ENCODER.quoteAsUTF8(text);
        byte[] quoted = new byte[inner.length + 2];
        quoted[0] = '"';
        System.arraycopy(inner, 0, quoted, 1, inner.length);
        quoted[quoted.length - 1] = '"';
        return quoted;
    }

    /** Concatenates ASCII literals (Strings) and byte arrays (already JSON) into one UTF-8 array. */
    static byte[] concat(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        for (Object part : parts) {
            byte[] bytes = part instanceof byte[] b ? b : String.valueOf(part).getBytes(StandardCharsets.UTF_8);
            out.write(bytes, 0, bytes.length);
        }
        return out.toByteArray();
    }

    static byte[] error(String code, String message) {
        return concat("{\"type\":\"error\",\"code\":", quote(code), ",\"message\":", quote(message), "}");
    }

    static byte[] welcome(String clientId, String roomId, int members) {
        return concat("{\"type\":\"welcome\",\"clientId\":", quote(clientId), ",\"roomId\":", quote(roomId),
                ",\"members\":", members, "}");
    }

    static byte[] joined(String roomId, int members) {
        return concat("{\"type\":\"joined\",\"roomId\":", quote(roomId), ",\"members\":", members, "}");
    }

    static byte[] left(String roomId) {
        return concat("{\"type\":\"left\",\"roomId\":", quote(roomId), "}");
    }

    /** {@code join} or {@code leave} notice to the other members. */
    static byte[] notice(String type, String clientId, String roomId) {
        return concat("{\"type\":\"", type, "\",\"clientId\":", quote(clientId), ",\"roomId\":", quote(roomId), "}");
    }

    static byte[] chat(String roomId, String from, byte[] source, int bodyFrom, int bodyTo) {
        byte[] head = concat("{\"type\":\"chat\",\"roomId\":", quote(roomId), ",\"from\":", quote(from), ",\"body\":");
        int bodyLength = bodyTo - bodyFrom;
        byte[] out = Arrays.copyOf(head, head.length + bodyLength + 1);
        System.arraycopy(source, bodyFrom, out, head.length, bodyLength);
        out[out.length - 1] = '}';
        return out;
    }
}
