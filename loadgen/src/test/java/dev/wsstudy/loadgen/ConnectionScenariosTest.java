package dev.wsstudy.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsstudy.net.PortReservation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** idle-connections, churn, and connection failures counted by kind. */
class ConnectionScenariosTest {
    @Test
    void idleConnectionsRampAcrossSourceAddressesAndHold(@TempDir Path out) throws Exception {
        try (TestWsServer server = new TestWsServer()) {
            JsonNode s = RunFixture.run(out, "--scenario=idle-connections", "--url=" + server.url("/echo"),
                    "--connections=200", "--connect-rate=1000", "--warmup-s=0", "--duration-s=1",
                    "--source-addresses=127.0.0.1,127.0.0.2,127.0.0.3",
                    "--server-pid=" + ProcessHandle.current().pid(), "--max-cpu-pct-of-budget=100000");
            assertThat(s.get("status").asText()).as(s.toString()).isEqualTo("ok");
            assertThat(s.at("/connect/succeeded").asLong()).isEqualTo(200);
            assertThat(s.at("/connect/setupUs/p50").asLong()).isPositive();
            assertThat(s.at("/connect/handshakesPerSec").asDouble()).isPositive();
            assertThat(s.at("/scenarioDetails/droppedWhileIdle").asLong()).isZero();
            assertThat(s.at("/server/rssKiBPerConnection").isNumber()).isTrue();
            // The "server" is this JVM: jcmd reads its live heap at the end of the hold and after closing.
            assertThat(s.at("/server/liveHeapKiBPerConnection").isNumber()).as(s.get("server").toString()).isTrue();
            assertThat(s.at("/server/liveHeapKiBEnd").asDouble()).isPositive();
            assertThat(s.at("/server/liveHeapKiBAfterClose").asDouble()).isPositive();
            assertThat(out.resolve("server-live-heap-end.txt")).content().contains("Total");
            assertThat(out.resolve("server-live-heap-after-close.txt")).content().contains("Total");
        }
    }

    @Test
    void noLiveHeapSkipsTheFullGcsAndReportsRssOnly(@TempDir Path out) throws Exception {
        try (TestWsServer server = new TestWsServer()) {
            JsonNode s = RunFixture.run(out, "--scenario=idle-connections", "--url=" + server.url("/echo"),
                    "--connections=20", "--warmup-s=0", "--duration-s=1", "--no-live-heap",
                    "--server-pid=" + ProcessHandle.current().pid(), "--max-cpu-pct-of-budget=100000");
            assertThat(s.get("status").asText()).as(s.toString()).isEqualTo("ok");
            assertThat(s.at("/server/rssKiBPerConnection").isNumber()).isTrue();
            assertThat(s.at("/server/liveHeapKiBPerConnection").isNull()).isTrue();
            assertThat(out.resolve("server-live-heap-end.txt")).doesNotExist();
        }
    }

    @Test
    void churnCyclesConnectInitSendCloseAndCountsHandshakes(@TempDir Path out) throws Exception {
        try (TestWsServer server = new TestWsServer()) {
            JsonNode s = RunFixture.run(out, "--scenario=churn", "--url=" + server.url("/chat"),
                    "--connections=4", "--warmup-s=1", "--duration-s=2",
                    "--server-pid=" + ProcessHandle.current().pid(), "--max-cpu-pct-of-budget=100000");
            assertThat(s.get("status").asText()).as(s.toString()).isEqualTo("ok");
            assertThat(s.at("/scenarioDetails/cycles").asLong()).isGreaterThan(20);
            assertThat(s.at("/scenarioDetails/failedCycles").asLong()).isZero();
            assertThat(s.at("/connect/handshakesPerSec").asDouble()).isPositive();
            assertThat(s.get("received").asLong()).isPositive();
            assertThat(s.at("/server/rssKiBPerConnection").isNull()).isTrue();
            assertThat(s.at("/server/fdsEnd").isNumber()).isTrue();
            assertThat(s.at("/server/socketsEnd").isNumber()).isTrue();
        }
    }

    @Test
    void refusedConnectionsFailTheRunWithTheirKind(@TempDir Path out) throws Exception {
        // Reserved but never listening: connecting is refused, and unlike a port picked and closed
        // again, nothing else can start listening there during the run.
        try (java.net.Socket reserved = PortReservation.reserveLoopbackPort()) {
            int port = reserved.getLocalPort();
            JsonNode s = RunFixture.run(out, "--scenario=echo-closed", "--url=ws://127.0.0.1:" + port + "/echo",
                    "--connections=3", "--warmup-s=0", "--duration-s=1");
            assertThat(s.get("status").asText()).isEqualTo("failed");
            assertThat(s.get("failureReason").asText()).contains("3 of 3 connections failed");
            assertThat(s.at("/errorKinds/connect-refused").asLong()).isEqualTo(3);
            assertThat(s.at("/connect/failed").asLong()).isEqualTo(3);
        }
    }

    @Test
    void aRejectedHandshakeIsCountedAsSuch(@TempDir Path out) throws Exception {
        com.sun.net.httpserver.HttpServer http = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", x -> { x.sendResponseHeaders(404, -1); x.close(); });
        http.start();
        try {
            JsonNode s = RunFixture.run(out, "--scenario=echo-closed",
                    "--url=ws://127.0.0.1:" + http.getAddress().getPort() + "/echo",
                    "--connections=2", "--warmup-s=0", "--duration-s=1");
            assertThat(s.get("status").asText()).isEqualTo("failed");
            assertThat(s.at("/errorKinds/handshake-rejected").asLong()).as(s.get("errorKinds").toString()).isEqualTo(2);
        } finally {
            http.stop(0);
        }
    }
}
