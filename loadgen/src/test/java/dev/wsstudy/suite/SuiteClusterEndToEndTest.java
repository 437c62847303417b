package dev.wsstudy.suite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster cell end to end (docs/cluster.md): a real redis-server, three event-loop server jars
 * with {@code --cluster}, one short broadcast cell whose rooms the real loadgen spreads over the
 * three, then the run folder. About 15 s.
 */
class SuiteClusterEndToEndTest {
    @TempDir
    Path results;

    @Test
    void aClusterCellStartsRedisAndThreeNodesAndMeasuresCrossNodeLatency() throws Exception {
        SuiteFixture.Ran ran = SuiteFixture.run(SuiteFixture.rootWithEventLoopServer(), results, """
                {"name":"tiny-cluster","trials":1,"machineJitterS":1,"warmupS":1,"durationS":2,"servers":["eventloop"],
                 "serverJvmFlags":["-Xms64m","-Xmx256m","-XX:+UseSerialGC"],"loadgenJvmFlags":["-Xmx256m"],
                 "scenarios":[{"name":"cluster-broadcast","scenario":"broadcast","clusterNodes":3,
                   "params":{"rooms":2,"members":6,"senders-per-room":2,"rate":[20]},
                   "metrics":["rate","cross-node-p99","same-node-p99","lost"]}]}""", "tiny-cluster.json");
        RunFolder f = ran.folder();

        TrialResult t = ran.result(0);
        assertThat(t.status()).as(ran.err()).isIn("ok", "loadgen-bottleneck");
        assertThat(t.value(Metric.LOST)).isZero();
        Path serverDir = f.dir.resolve("cluster-broadcast/eventloop");
        JsonNode summary = RunFolder.JSON.readTree(serverDir.resolve("rate=20/trial-1/summary.json").toFile());
        assertThat(summary.at("/target").asText().split(",")).hasSize(3);
        assertThat(summary.at("/server/pid")).hasSize(4); // the three nodes and Redis, summed
        // 6 members over 3 nodes round robin: 2 on each sender's node (itself included), 4 on the
        // others. A room's senders are its members 0 and 1, so on nodes 0 and 1: the first node
        // (whose /stats the summary holds) receives node 1's messages through Redis. With one sender
        // per room both would sit on node 0, and it would receive only the members' leave
        // notices, when they win the race with its own unsubscribe.
        long cross = summary.at("/latency/crossNode/count").asLong();
        assertThat(cross).isPositive().isEqualTo(2 * summary.at("/latency/sameNode/count").asLong());
        JsonNode cluster = summary.at("/server/statsAfter/cluster");
        assertThat(cluster.path("enabled").asBoolean()).isTrue();
        assertThat(cluster.path("nodes")).hasSize(3);
        assertThat(cluster.path("received").asLong()).isPositive();
        assertThat(serverDir.resolve("redis.log")).content().contains("Ready to accept connections");
        for (String log : List.of("server.log", "server-node1.log", "server-node2.log")) {
            assertThat(serverDir.resolve(log)).content().contains("cluster-connected").contains("cluster-stopped");
        }
        assertThat(serverDir.resolve("server.log")).content().contains("[wsstudy-suite] redis-server stopped: exited");
        assertThat(ran.out()).contains("## cluster-broadcast").contains("cross-node p99");
    }
}
