package dev.wsstudy.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** broadcast and slow-consumer over the /chat INIT protocol, against the test server. */
class ChatScenariosTest {
    /** The test server shares this JVM and CPU, so the self-check limits are lifted (no timing asserted here). */
    static final String[] NO_SELF_CHECK = {"--max-cpu-pct-of-budget=100000", "--max-lag-p99-us=10000000",
            "--max-backed-up-ticks-pct=100"};
    private static final String[] SMALL = {"--rooms=3", "--members=4", "--senders-per-room=1", "--rate=60",
            "--warmup-s=1", "--duration-s=2", NO_SELF_CHECK[0], NO_SELF_CHECK[1], NO_SELF_CHECK[2]};

    private static JsonNode broadcast(Path out, TestWsServer server, String... extra) throws Exception {
        String[] args = new String[SMALL.length + extra.length + 2];
        args[0] = "--scenario=broadcast";
        args[1] = "--url=" + server.url("/chat");
        System.arraycopy(SMALL, 0, args, 2, SMALL.length);
        System.arraycopy(extra, 0, args, 2 + SMALL.length, extra.length);
        return RunFixture.run(out, args);
    }

    @Test
    void everyMemberGetsEveryMessageOnceInOrder(@TempDir Path out) throws Exception {
        try (TestWsServer server = new TestWsServer()) {
            JsonNode s = broadcast(out, server);
            assertThat(s.get("status").asText()).as(s.toString()).isEqualTo("ok");
            JsonNode d = s.get("delivery");
            // 60 msgs/s for 3 s in total, each to the 4 members of its room (the sender included).
            assertThat(d.get("expected").asLong()).isBetween(4L * 170, 4L * 180);
            assertThat(d.get("delivered").asLong()).isEqualTo(d.get("expected").asLong());
            assertThat(d.get("lost").asLong()).isZero();
            assertThat(d.get("duplicated").asLong()).isZero();
            assertThat(d.get("reordered").asLong()).isZero();
            assertThat(d.get("within500msPct").asDouble()).isEqualTo(100.0);
            assertThat(s.at("/latency/corrected/count").asLong()).isPositive();
            assertThat(s.get("connections").asInt()).isEqualTo(12);
        }
    }

    @Test
    void severalTargetsSpreadEachRoomRoundRobinAndSplitCrossNodeLatency(@TempDir Path out) throws Exception {
        try (TestWsServer server = new TestWsServer()) {
            // Room r holds connections 4r..4r+3 on nodes r, r+1, r+2, r (mod 3); its sender (member 0)
            // is on node r: every message goes to 2 members on the sender's node and 2 elsewhere.
            JsonNode s = RunFixture.run(out, "--scenario=broadcast", "--url=" + server.urls("/chat", 3),
                    "--rooms=3", "--members=4", "--senders-per-room=1", "--rate=60", "--warmup-s=1", "--duration-s=2",
                    NO_SELF_CHECK[0], NO_SELF_CHECK[1], NO_SELF_CHECK[2]);
            assertThat(s.get("status").asText()).as(s.toString()).isEqualTo("ok");
            assertThat(s.at("/delivery/lost").asLong()).isZero();
            long cross = s.at("/latency/crossNode/count").asLong();
            assertThat(cross).isPositive().isEqualTo(s.at("/latency/sameNode/count").asLong());
            assertThat(s.at("/latency/crossNode/p99").asLong()).isPositive();
            assertThat(out.resolve("workers/0/latency-cross-node.hlog")).exists();
        }
    }

    @Test
    void oneTargetHasNoCrossNodeLatency(@TempDir Path out) throws Exception {
        try (TestWsServer server = new TestWsServer()) {
            assertThat(broadcast(out, server).get("latency").has("crossNode")).isFalse();
        }
    }

    @Test
    void aDroppedAndADuplicatedDeliveryAreReportedNotHidden(@TempDir Path out) throws Exception {
        try (TestWsServer server = new TestWsServer()) {
            server.misdeliver(20, 40);
            JsonNode d = broadcast(out, server).get("delivery");
            assertThat(d.get("lost").asLong()).isEqualTo(1);
            assertThat(d.get("duplicated").asLong()).isEqualTo(1);
            assertThat(d.get("reordered").asLong()).isZero();
            assertThat(d.get("delivered").asLong()).isEqualTo(d.get("expected").asLong());  // one missing, one extra
        }
    }

    @Test
    void slowMembersStopReadingAndTheirFateIsReported(@TempDir Path out) throws Exception {
        try (TestWsServer server = new TestWsServer()) {
            JsonNode s = RunFixture.run(out, "--scenario=slow-consumer", "--url=" + server.url("/chat"),
                    "--rooms=2", "--members=5", "--senders-per-room=1", "--slow-members=2", "--rate=40",
                    "--warmup-s=1", "--duration-s=2", NO_SELF_CHECK[0], NO_SELF_CHECK[1], NO_SELF_CHECK[2]);
            assertThat(s.get("status").asText()).as(s.toString()).isEqualTo("ok");
            JsonNode slow = s.at("/scenarioDetails/slowConsumers");
            assertThat(slow.get("members").asLong()).isEqualTo(4);
            // This test server has no outbox bound, so it never drops them: they read everything at the end.
            assertThat(slow.get("stillOpen").asLong()).isEqualTo(4);
            assertThat(slow.get("lost").asLong()).isZero();
            assertThat(slow.get("socketGoneWhilePausedAtS")).isEmpty();
            // The readers: 3 per room, nothing lost.
            assertThat(s.at("/delivery/lost").asLong()).isZero();
            assertThat(s.at("/delivery/expected").asLong()).isEqualTo(s.at("/delivery/delivered").asLong());
        }
    }
}
