package dev.wsstudy.servertests.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsstudy.net.PortReservation;
import dev.wsstudy.servertests.support.Http;
import dev.wsstudy.servertests.support.ServerKind;
import dev.wsstudy.servertests.support.ServerProcess;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A node without its Redis does not start (docs/cluster.md, failure behaviour): one server kind
 * suffices, start-up is the one shared {@code ServerLifecycle}.
 */
class ClusterStartupTest {

    @Test
    @Timeout(120)
    void aNodeWhoseRedisIsUnreachableExitsWithAClearErrorInsteadOfRunningAlone() throws Exception {
        // A reserved port, never listening: connecting to it is refused, and unlike a port picked
        // and closed again, nothing else can start listening there during the test.
        try (Socket reserved = PortReservation.reserveLoopbackPort()) {
            int port = reserved.getLocalPort();
            ServerKind kind = ServerKind.EVENTLOOP;
            List<String> command = List.of(ServerProcess.jdkTool("java").toString(), "-jar",
                    ServerProcess.root().resolve(kind.module).resolve("target").resolve(kind.module + ".jar").toString(),
                    "--port", "0", "--cluster", "redis://127.0.0.1:" + port);
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            try {
                // JVM start plus one refused connect: seconds, but a busy machine may stretch that.
                assertThat(p.waitFor(Http.PATIENCE.toSeconds() * 2, TimeUnit.SECONDS)).as("exits by itself").isTrue();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(p.exitValue()).as(out).isEqualTo(1);
                assertThat(out).contains("ERROR").contains("cluster-unavailable")
                        .contains("cannot reach Redis at redis://127.0.0.1:" + port)
                        .doesNotContain("listening on");
            } finally {
                p.destroyForcibly();
            }
        }
    }
}
