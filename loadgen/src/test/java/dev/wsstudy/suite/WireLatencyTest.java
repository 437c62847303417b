package dev.wsstudy.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wire observer on real parts: the event-loop server's jar, the JDK's WebSocket client and
 * the real tcpdump (Debian package; scripts/setup.sh installs it; capturing needs root or
 * CAP_NET_RAW, as in CI). Every echo the client timed must appear once on the wire, and no faster
 * on the wire than the client saw it.
 */
class WireLatencyTest {
    static final int MESSAGES = 200, PAYLOAD = 64;

    @TempDir
    Path dir;

    @Test
    void everyEchoAppearsOnceOnTheWireAndTheWireIsNeverSlowerThanTheClient() throws Exception {
        Path root = RepoRoot.find();
        Path jar = RepoRoot.moduleJar(root, "eventloop-server");
        assumeTrue(Files.isRegularFile(jar), "eventloop-server/target/eventloop-server.jar not packaged");
        assumeTrue(WireCapture.version("tcpdump") != null, "tcpdump not installed (scripts/setup.sh installs it)");
        ServerProcess server = ServerProcess.start(List.of(), Path.of(System.getProperty("java.home"), "bin", "java"),
                List.of("-Xmx256m"), jar, List.of(), dir.resolve("server.log"));
        try {
            WireCapture capture;
            try {
                capture = WireCapture.start("tcpdump", server.port, dir.resolve("echo.pcap"));
            } catch (IOException e) {
                assumeTrue(!e.getMessage().contains("ermission"), "no right to capture: " + e.getMessage());
                throw e;
            }
            long[] clientUs = new long[MESSAGES];
            long fromNs, toNs;
            try (capture) {
                LinkedBlockingQueue<ByteBuffer> echoes = new LinkedBlockingQueue<>();
                WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                        .buildAsync(URI.create(server.wsBase() + "/echo"), new WebSocket.Listener() {
                            @Override public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
                                echoes.add(data);
                                w.request(1);
                                return CompletableFuture.completedFuture(null);
                            }
                        }).get(30, TimeUnit.SECONDS);
                fromNs = epochNs();
                for (int i = 0; i < MESSAGES; i++) {
                    long t = System.nanoTime();
                    ws.sendBinary(ByteBuffer.wrap(new byte[PAYLOAD]), true).get(30, TimeUnit.SECONDS);
                    assertThat(echoes.poll(30, TimeUnit.SECONDS)).as("echo %d", i).isNotNull();
                    clientUs[i] = (System.nanoTime() - t) / 1000;
                }
                toNs = epochNs() + 1;
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(30, TimeUnit.SECONDS);
            }
            WireLatency.Stats s = WireLatency.analyse(capture.pcap(), server.port, PAYLOAD, fromNs, toNs);
            assertThat(s.pairs()).as("each echo once (tcpdump lost %d)", capture.droppedByKernel()).isEqualTo(MESSAGES);
            assertThat(s.unanswered()).isZero();
            Arrays.sort(clientUs);
            assertThat(s.p50Us()).isPositive().isLessThanOrEqualTo(clientUs[MESSAGES / 2]);
            assertThat(s.maxUs()).isLessThanOrEqualTo(clientUs[MESSAGES - 1]);
            // Messages are recognised by their frame size: another payload size matches nothing.
            assertThat(WireLatency.analyse(capture.pcap(), server.port, PAYLOAD + 1, fromNs, toNs).pairs()).isZero();
            // Only requests inside the window count.
            assertThat(WireLatency.analyse(capture.pcap(), server.port, PAYLOAD, toNs, toNs + 1).pairs()).isZero();
        } finally {
            server.stop();
        }
    }

    @Test
    void aFileThatIsNotAPcapIsRefusedByName() throws Exception {
        Path bogus = Files.writeString(dir.resolve("bogus.pcap"), "this is not a capture file at all");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WireLatency.analyse(bogus, 1, 64, 0, Long.MAX_VALUE))
                .isInstanceOf(IOException.class).hasMessageContaining("bogus.pcap: not a pcap file");
    }

    @Test
    void percentilesAreNearestRank() {
        long[] ns = {1000, 2000, 3000, 4000};
        assertThat(WireLatency.pctUs(ns, 4, 50)).isEqualTo(2.0);
        assertThat(WireLatency.pctUs(ns, 4, 99)).isEqualTo(4.0);
        assertThat(WireLatency.pctUs(ns, 0, 50)).isNaN();
    }

    private static long epochNs() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
