package dev.wsstudy.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LogTest {

    private final Log log = new Log("eventloop", new PrintStream(new ByteArrayOutputStream()));

    @Test
    void lineHasTimestampLevelKindEventAndFields() {
        String line = log.format(Instant.parse("2026-11-27T21:00:00Z"), Log.Level.INFO, "connection-closed",
                "remote", "/127.0.0.1:5000", "code", 1000);
        assertThat(line).isEqualTo("2026-11-27T21:00:00.000Z INFO  eventloop connection-closed remote=/127.0.0.1:5000 code=1000");
    }

    @Test
    void valuesWithSpacesQuotesOrControlCharactersAreQuotedSoALineStaysOneLine() {
        String line = log.format(Instant.EPOCH, Log.Level.WARN, "protocol-error", "why", "bad \"frame\"\nnext", "empty", "");
        assertThat(line).endsWith("WARN  eventloop protocol-error why=\"bad \\\"frame\\\" next\" empty=\"\"");
        assertThat(line).doesNotContain("\n");
    }

    @Test
    void printsOneLinePerEvent() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new Log("threaded", new PrintStream(out, true, StandardCharsets.UTF_8)).error("accept-paused", "why", "x");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("ERROR threaded accept-paused why=x").endsWith("\n");
    }
}
