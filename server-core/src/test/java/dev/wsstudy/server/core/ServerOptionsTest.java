package dev.wsstudy.server.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParameterException;

class ServerOptionsTest {

    @Test
    void defaultsMatchTheTableInServersMd() {
        ServerConfig c = ServerOptions.parse("eventloop");
        assertThat(c.kind()).isEqualTo("eventloop");
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.maxFrameBytes()).isEqualTo(16 * 1024 * 1024);
        assertThat(c.maxMessageBytes()).isEqualTo(16 * 1024 * 1024);
        assertThat(c.maxOutboxBytes()).isEqualTo(4 * 1024 * 1024);
        assertThat(c.handshakeTimeoutMillis()).isEqualTo(10_000);
        assertThat(c.idleTimeoutMillis()).isZero();
        assertThat(c.pingIntervalMillis()).isZero();
        assertThat(c.closeTimeoutMillis()).isEqualTo(3_000);
        assertThat(c.allowedOrigins()).isEmpty();
        assertThat(c.subprotocols()).isEmpty();
        assertThat(c.workCpuMicros()).isZero();
        assertThat(c.workBlockMillis()).isZero();
        assertThat(c.coalesce()).isTrue();
        assertThat(c.acceptBackoffMillis()).isEqualTo(1_000);
        assertThat(c.logConnections()).isFalse();
        assertThat(c.cluster()).isNull();
    }

    @Test
    void everyOptionIsParsedAndRepeatableOnesAccumulate() {
        ServerConfig c = ServerOptions.parse("threaded",
                "--host", "0.0.0.0", "--port", "0", "--max-frame-bytes", "1000", "--max-message-bytes", "2000",
                "--max-outbox-bytes", "3000", "--handshake-timeout-ms", "400", "--idle-timeout-ms", "500",
                "--ping-interval-ms", "600", "--close-timeout-ms", "700",
                "--allowed-origin", "http://a", "--allowed-origin", "http://b",
                "--subprotocol", "chat.v1", "--work-cpu-us", "50", "--work-block-ms", "2",
                "--no-coalesce", "--accept-backoff-ms", "250", "--log-connections",
                "--cluster", "redis://127.0.0.1:6379");
        assertThat(c.host()).isEqualTo("0.0.0.0");
        assertThat(c.port()).isZero();
        assertThat(c.maxFrameBytes()).isEqualTo(1000);
        assertThat(c.maxMessageBytes()).isEqualTo(2000);
        assertThat(c.maxOutboxBytes()).isEqualTo(3000);
        assertThat(c.handshakeTimeoutMillis()).isEqualTo(400);
        assertThat(c.idleTimeoutMillis()).isEqualTo(500);
        assertThat(c.pingIntervalMillis()).isEqualTo(600);
        assertThat(c.closeTimeoutMillis()).isEqualTo(700);
        assertThat(c.allowedOrigins()).containsExactly("http://a", "http://b");
        assertThat(c.subprotocols()).containsExactly("chat.v1");
        assertThat(c.workCpuMicros()).isEqualTo(50);
        assertThat(c.workBlockMillis()).isEqualTo(2);
        assertThat(c.coalesce()).isFalse();
        assertThat(c.acceptBackoffMillis()).isEqualTo(250);
        assertThat(c.logConnections()).isTrue();
        assertThat(c.cluster()).isEqualTo("redis://127.0.0.1:6379");
    }

    @Test
    void coalesceCanBeNamedExplicitly() {
        assertThat(ServerOptions.parse("eventloop", "--coalesce").coalesce()).isTrue();
    }

    @Test
    void badValuesAreRejectedWithAMessageNamingTheOption() {
        assertThatThrownBy(() -> ServerOptions.parse("eventloop", "--port", "70000"))
                .isInstanceOf(ParameterException.class).hasMessageContaining("--port");
        assertThatThrownBy(() -> ServerOptions.parse("eventloop", "--max-outbox-bytes", "0"))
                .isInstanceOf(ParameterException.class).hasMessageContaining("--max-outbox-bytes");
        assertThatThrownBy(() -> ServerOptions.parse("eventloop", "--port", "eighty"))
                .isInstanceOf(ParameterException.class).hasMessageContaining("--port");
        assertThatThrownBy(() -> ServerOptions.parse("eventloop", "--no-such-option"))
                .isInstanceOf(ParameterException.class).hasMessageContaining("--no-such-option");
        assertThatThrownBy(() -> ServerOptions.parse("eventloop", "--cluster", "localhost:6379"))
                .isInstanceOf(ParameterException.class).hasMessageContaining("--cluster");
    }

    @Test
    void timeoutsAreCheckedAtATenthOfTheShortestEnabledTimeout() {
        assertThat(ServerOptions.parse("eventloop").tickMillis()).isEqualTo(300);
        assertThat(ServerOptions.parse("eventloop", "--idle-timeout-ms", "500").tickMillis()).isEqualTo(50);
        assertThat(ServerOptions.parse("eventloop", "--handshake-timeout-ms", "20").tickMillis()).isEqualTo(10);
    }
}
