package dev.wsstudy.protocol.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsstudy.protocol.ProtocolConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** RFC 6455 §4.2: the server's checks of an opening handshake and its answers. */
class HandshakeTest {
    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    private static HttpRequestHead head(String method, String target, String version, String... headers) {
        List<String> names = new java.util.ArrayList<>();
        List<String> values = new java.util.ArrayList<>();
        for (int i = 0; i < headers.length; i += 2) {
            names.add(headers[i]);
            values.add(headers[i + 1]);
        }
        return new HttpRequestHead(method, target, version, names, values);
    }

    private static HttpRequestHead upgrade(String... overrides) {
        String[] base = {"Host", "localhost:8080", "Upgrade", "websocket", "Connection", "Upgrade",
            "Sec-WebSocket-Key", KEY, "Sec-WebSocket-Version", "13"};
        List<String> h = new java.util.ArrayList<>(List.of(base));
        for (int i = 0; i < overrides.length; i += 2) {
            int at = -1;
            for (int j = 0; j < h.size(); j += 2) {
                if (h.get(j).equalsIgnoreCase(overrides[i])) {
                    at = j;
                }
            }
            if (at >= 0 && overrides[i + 1] == null) {
                h.remove(at);
                h.remove(at);
            } else if (at >= 0) {
                h.set(at + 1, overrides[i + 1]);
            } else if (overrides[i + 1] != null) {
                h.add(overrides[i]);
                h.add(overrides[i + 1]);
            }
        }
        return head("GET", "/echo", "HTTP/1.1", h.toArray(String[]::new));
    }

    private static Handshake.Outcome evaluate(HttpRequestHead head) {
        return evaluate(head, ProtocolConfig.defaults());
    }

    private static Handshake.Outcome evaluate(HttpRequestHead head, ProtocolConfig config) {
        return Handshake.evaluate(head, config, path -> path.equals("/echo"));
    }

    private static int status(Handshake.Outcome outcome) {
        return outcome instanceof Handshake.Outcome.Reject r ? r.response().status()
                : outcome instanceof Handshake.Outcome.Upgrade ? 101 : 0;
    }

    @Test
    void acceptKeyOfTheRfc6455Section1_3Example() {
        assertThat(Handshake.acceptKey(KEY)).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    @Test
    void validUpgradeAnswers101WithAccept() {
        Handshake.Outcome outcome = evaluate(upgrade());
        assertThat(outcome).isInstanceOf(Handshake.Outcome.Upgrade.class);
        ByteBuffer response = ((Handshake.Outcome.Upgrade) outcome).response();
        String text = StandardCharsets.ISO_8859_1.decode(response).toString();
        assertThat(text).startsWith("HTTP/1.1 101 Switching Protocols\r\n")
                .contains("Upgrade: websocket\r\n", "Connection: Upgrade\r\n",
                        "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n")
                .doesNotContain("Sec-WebSocket-Protocol").endsWith("\r\n\r\n");
    }

    @Test
    void headerTokensAreCaseInsensitiveCommaSeparatedLists() {
        assertThat(status(evaluate(upgrade("Connection", "keep-alive, upgrade", "Upgrade", "WebSocket")))).isEqualTo(101);
        assertThat(status(evaluate(upgrade("Connection", "keep-alive,Upgrade ")))).isEqualTo(101);
        assertThat(status(evaluate(upgrade("Connection", "keep-alive, upgrades")))).isEqualTo(400);
    }

    @Test
    void methodOtherThanGetIs405() {
        HttpRequestHead post = head("POST", "/echo", "HTTP/1.1", "Host", "a");
        Handshake.Outcome outcome = evaluate(post);
        assertThat(status(outcome)).isEqualTo(405);
        assertThat(((Handshake.Outcome.Reject) outcome).response().header("Allow")).isEqualTo("GET");
    }

    @Test
    void plainGetToANonWebSocketPathIsHandedToHttp() {
        assertThat(evaluate(head("GET", "/health", "HTTP/1.1", "Host", "a"))).isInstanceOf(Handshake.Outcome.Plain.class);
    }

    @Test
    void otherUpgradeOffersOnPlainPathsAreIgnoredAsRfc7230Section6_7Allows() {
        // java.net.http.HttpClient asks for HTTP/2 this way on http:// URIs
        HttpRequestHead h2c = head("GET", "/health", "HTTP/1.1", "Host", "a",
                "Connection", "Upgrade, HTTP2-Settings", "Upgrade", "h2c", "HTTP2-Settings", "AAEAAEAAAAIAAAABAAMAAABkAAQBAAAAAAUAAEAA");
        assertThat(evaluate(h2c)).isInstanceOf(Handshake.Outcome.Plain.class);
    }

    @Test
    void upgradeToAPathWithoutEndpointIs404() {
        HttpRequestHead h = upgrade();
        HttpRequestHead elsewhere = new HttpRequestHead("GET", "/nowhere", "HTTP/1.1",
                names(h), values(h));
        assertThat(status(evaluate(elsewhere))).isEqualTo(404);
    }

    private static List<String> names(HttpRequestHead h) {
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < h.headerCount(); i++) {
            out.add(h.headerName(i));
        }
        return out;
    }

    private static List<String> values(HttpRequestHead h) {
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < h.headerCount(); i++) {
            out.add(h.headerValue(i));
        }
        return out;
    }

    @Test
    void http10UpgradeIs400() {
        HttpRequestHead h = upgrade();
        assertThat(status(evaluate(new HttpRequestHead("GET", "/echo", "HTTP/1.0", names(h), values(h))))).isEqualTo(400);
    }

    @Test
    void missingOrBadHostIs400() {
        assertThat(status(evaluate(upgrade("Host", null)))).isEqualTo(400);
        assertThat(status(evaluate(upgrade("Host", "")))).isEqualTo(400);
        assertThat(status(evaluate(upgrade("Host", "a b")))).isEqualTo(400);
    }

    @Test
    void missingUpgradeOrConnectionTokenIs400() {
        assertThat(status(evaluate(upgrade("Upgrade", null)))).isEqualTo(400);
        assertThat(status(evaluate(upgrade("Upgrade", "h2c")))).isEqualTo(400);
        assertThat(status(evaluate(upgrade("Connection", null)))).isEqualTo(400);
        assertThat(status(evaluate(upgrade("Connection", "keep-alive")))).isEqualTo(400);
    }

    @Test
    void versionOtherThan13Is426WithTheSupportedVersion() {
        for (String version : new String[] {"8", "12", "14", "13, 8", ""}) {
            Handshake.Outcome outcome = evaluate(upgrade("Sec-WebSocket-Version", version));
            assertThat(status(outcome)).as(version).isEqualTo(426);
            assertThat(((Handshake.Outcome.Reject) outcome).response().header("Sec-WebSocket-Version")).isEqualTo("13");
        }
        assertThat(status(evaluate(upgrade("Sec-WebSocket-Version", null)))).isEqualTo(426);
    }

    @Test
    void keyMustBeBase64OfSixteenBytes() {
        assertThat(status(evaluate(upgrade("Sec-WebSocket-Key", null)))).isEqualTo(400);
        assertThat(status(evaluate(upgrade("Sec-WebSocket-Key", "short")))).isEqualTo(400);
        assertThat(status(evaluate(upgrade("Sec-WebSocket-Key", "AAAAAAAAAAAAAAAAAAAAAA")))).isEqualTo(400); // no padding
        assertThat(status(evaluate(upgrade("Sec-WebSocket-Key", "AAAAAAAAAAAAAAAAAAAAAAAA")))).isEqualTo(400); // 18 bytes
        assertThat(status(evaluate(upgrade("Sec-WebSocket-Key", "!!!!!!!!!!!!!!!!!!!!!!==")))).isEqualTo(400);
        assertThat(status(evaluate(upgrade("Sec-WebSocket-Key", "AAAAAAAAAAAAAAAAAAAAAA==")))).isEqualTo(101);
    }

    @Test
    void twoKeysAre400() {
        HttpRequestHead h = upgrade("X", "y");
        List<String> names = names(h);
        List<String> values = values(h);
        names.add("Sec-WebSocket-Key");
        values.add(KEY);
        assertThat(status(evaluate(new HttpRequestHead("GET", "/echo", "HTTP/1.1", names, values)))).isEqualTo(400);
    }

    @Test
    void originOutsideTheAllowlistIs403() {
        ProtocolConfig config = ProtocolConfig.defaults().withAllowedOrigins(Set.of("https://good.example"));
        assertThat(status(evaluate(upgrade("Origin", "https://evil.example"), config))).isEqualTo(403);
        assertThat(status(evaluate(upgrade("Origin", "https://GOOD.example"), config))).isEqualTo(101);
        assertThat(status(evaluate(upgrade(), config))).as("no Origin: not a browser").isEqualTo(101);
        assertThat(status(evaluate(upgrade("Origin", "https://evil.example")))).as("no allowlist").isEqualTo(101);
    }

    @Test
    void firstClientOfferedSupportedSubprotocolIsSelected() {
        ProtocolConfig config = ProtocolConfig.defaults().withSubprotocols(List.of("chat.v2", "chat.v1"));
        Handshake.Outcome outcome = evaluate(upgrade("Sec-WebSocket-Protocol", "other, chat.v1 , chat.v2"), config);
        assertThat(((Handshake.Outcome.Upgrade) outcome).subprotocol()).isEqualTo("chat.v1");
        String text = StandardCharsets.ISO_8859_1.decode(((Handshake.Outcome.Upgrade) outcome).response()).toString();
        assertThat(text).contains("Sec-WebSocket-Protocol: chat.v1\r\n");
        Handshake.Outcome none = evaluate(upgrade("Sec-WebSocket-Protocol", "other"), config);
        assertThat(((Handshake.Outcome.Upgrade) none).subprotocol()).isNull();
        Handshake.Outcome unsupported = evaluate(upgrade("Sec-WebSocket-Protocol", "chat.v1"));
        assertThat(((Handshake.Outcome.Upgrade) unsupported).subprotocol()).as("server supports none by default").isNull();
    }
}
