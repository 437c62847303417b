package dev.wsstudy.protocol.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpResponseTest {

    @Test
    void encodeAlwaysCarriesContentLengthAndConnectionClose() {
        HttpResponse r = HttpResponse.ok("text/plain", "ok".getBytes(StandardCharsets.US_ASCII));
        String wire = StandardCharsets.ISO_8859_1.decode(r.encode()).toString();
        assertThat(wire).isEqualTo("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n"
                + "Connection: close\r\n\r\nok");
    }

    @Test
    void statusHelperHasReasonPhraseAndTextBody() {
        HttpResponse r = HttpResponse.status(404, "nothing here");
        assertThat(r.reason()).isEqualTo("Not Found");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("nothing here\n");
    }

    @Test
    void headerValuesWithLineBreaksAreRefusedSoResponsesCannotBeSplit() {
        assertThatThrownBy(() -> HttpResponse.ok("text/plain\r\nSet-Cookie: x=1", new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HttpResponse.status(200, "x").withHeader("X", "a\nb"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
