package dev.wsstudy.servertests.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsstudy.servertests.support.Http;
import dev.wsstudy.servertests.support.RawWs;
import dev.wsstudy.servertests.support.ServerKind;
import dev.wsstudy.servertests.support.ServerProcess;
import dev.wsstudy.servertests.support.Stats;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hitting the open-files limit (EMFILE on accept): the server logs an ERROR, stops accepting for
 * {@code --accept-backoff-ms} instead of spinning on a failing accept, counts it in {@code /stats},
 * and accepts again once descriptors are free. Run under {@code ulimit -n 128} so the limit is near.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.wsstudy.servertests.support.ServerKind#underTest")
class OpenFilesLimitTest {
    static final int LIMIT = 128;
    static final Duration BACKOFF = Duration.ofMillis(500);

    @Parameter
    ServerKind kind;

    /** Opens one echo connection, or returns null when the server does not complete the upgrade in time. */
    static RawWs tryOpen(int port) {
        Socket s = null;
        try {
            s = Http.connect(port);
            s.setSoTimeout(1_000);
            RawWs ws = RawWs.open(s, port, "/echo");
            ws.readTimeout(Http.PATIENCE);
            return ws;
        } catch (IOException refused) {
            try {
                if (s != null) s.close();
            } catch (IOException ignored) {
                // nothing to free
            }
            return null;
        }
    }

    @Test
    void openFilesLimitIsLoggedBackedOffCountedAndRecovered() throws Exception {
        try (ServerProcess server = ServerProcess.builder(kind).openFilesLimit(LIMIT)
                .args("--accept-backoff-ms", "" + BACKOFF.toMillis()).start()) {
            long baseline = server.idleConnections();
            List<RawWs> held = new ArrayList<>();
            try {
                // docs/servers.md log format: "<time> ERROR <kind> accept-paused ..." (or accept-error).
                Pattern atLimit = Pattern.compile("\\sERROR\\s+" + kind.logName + "\\s+accept-");
                long filling = System.nanoTime() + Http.PATIENCE.multipliedBy(2).toNanos();
                while (held.size() < LIMIT && System.nanoTime() < filling) {
                    RawWs ws = tryOpen(server.port());
                    if (ws != null) {
                        held.add(ws);
                    } else if (atLimit.matcher(server.log()).find()) {
                        break;
                    }
                    // else: not upgraded within 1 s, yet the server has not hit its limit: a busy
                    // machine delayed it. Try again rather than take the slow moment for the limit.
                }
                assertThat(held.size()).as("connections accepted under ulimit -n %d", LIMIT).isLessThan(LIMIT).isGreaterThan(10);
                server.awaitLogLine(atLimit, Http.PATIENCE);

                // While the limit holds (a refused connection waits in the backlog), the server must
                // back off rather than spin on accept: it may use only a fraction of one core.
                Socket pending = Http.connect(server.port());
                Duration cpuBefore = server.cpuTime();
                Thread.sleep(2_000);
                Duration cpu = server.cpuTime().minus(cpuBefore);
                assertThat(cpu).as("CPU used in 2 s at the open-files limit (a busy loop uses ~2 s)").isLessThan(Duration.ofMillis(600));
                pending.close();
                assertThat(server.process().isAlive()).isTrue();

                // Existing connections keep working at the limit.
                held.get(0).sendText("at the limit");
                assertThat(held.get(0).readText()).isEqualTo("at the limit");

                for (int i = 0; i < 20; i++) held.remove(held.size() - 1).closeHandshake(1000);
                // After the backoff the server accepts again.
                RawWs again = null;
                long deadline = System.nanoTime() + BACKOFF.plus(Http.PATIENCE).toNanos();
                while (again == null && System.nanoTime() < deadline) again = tryOpen(server.port());
                assertThat(again).as("a new client is accepted after freeing descriptors").isNotNull();
                again.sendText("recovered");
                assertThat(again.readText()).isEqualTo("recovered");
                held.add(again);
                var stats = Stats.fetch(server);
                assertThat(Stats.field(stats, Stats.ACCEPT_PAUSES)).as("/stats %s", stats).isGreaterThan(0);
            } finally {
                for (RawWs ws : held) ws.close();
            }
            Stats.awaitNothingLeaked(server, baseline);
        }
    }
}
