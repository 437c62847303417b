package dev.wsstudy.servertests.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsstudy.servertests.support.ChatClient;
import dev.wsstudy.servertests.support.Http;
import dev.wsstudy.servertests.support.RawWs;
import dev.wsstudy.servertests.support.ServerKind;
import dev.wsstudy.servertests.support.ServerProcess;
import dev.wsstudy.servertests.support.WsFrames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SIGTERM: every connected client receives close 1001 ("going away", RFC 6455 §7.4.1) and the
 * process exits within a few seconds, even when some clients never answer the close.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.wsstudy.servertests.support.ServerKind#underTest")
class ShutdownTest {
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

    @Parameter
    ServerKind kind;

    @Test
    void sigtermClosesEveryClientWith1001AndExitsWithinSeconds() throws Exception {
        try (ServerProcess server = ServerProcess.start(kind, "--close-timeout-ms", "" + CLOSE_TIMEOUT.toMillis());
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<RawWs> clients = new ArrayList<>();
            for (int i = 0; i < 20; i++) clients.add(RawWs.open(server.port(), "/echo"));
            for (int i = 0; i < 20; i++) clients.add(ChatClient.join(server.port(), "bye-" + i, "room-" + (i % 3)).ws);
            // Everyone is in: one echo round trip on the last client proves the server is serving.
            clients.get(0).sendText("ready");
            assertThat(clients.get(0).readText()).isEqualTo("ready");

            server.sigterm();
            List<Future<Integer>> codes = new ArrayList<>();
            for (int i = 0; i < clients.size(); i++) {
                RawWs c = clients.get(i);
                boolean answers = i % 2 == 0; // half answer the close, half stay mute
                codes.add(threads.submit(() -> {
                    c.readTimeout(Http.PATIENCE);
                    WsFrames.Frame close = c.readUntilClose(); // chat clients may see leave notices first
                    if (answers) c.sendClose(1001, "");
                    c.expectEof(CLOSE_TIMEOUT.plus(Http.PATIENCE));
                    return close.closeCode();
                }));
            }
            for (Future<Integer> code : codes) assertThat(code.get()).isEqualTo(1001);
            // Every client has its close and EOF: nothing is left to wait for but the JVM's exit. The
            // bound is loose because a busy machine may not schedule the exiting JVM for seconds.
            assertThat(server.awaitExit(Http.PATIENCE))
                    .as("exited after closing every client; log:\n%s", server.tail()).isTrue();
            for (RawWs c : clients) c.close();
            assertThat(server.log()).as("documented shutdown log events")
                    .containsPattern("\\sINFO\\s+" + kind.logName + "\\s+server-stopping\\b")
                    .containsPattern("\\sINFO\\s+" + kind.logName + "\\s+server-stopped\\b");
        }
    }

    @Test
    void sigtermOnAnIdleServerExitsPromptly() throws Exception {
        try (ServerProcess server = ServerProcess.start(kind)) {
            server.sigterm();
            assertThat(server.awaitExit(Http.PATIENCE)).as("log:\n%s", server.tail()).isTrue();
        }
    }
}
