package dev.wsstudy.servertests.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsstudy.cluster.testing.RedisProbe;
import dev.wsstudy.cluster.testing.RedisServer;
import dev.wsstudy.servertests.support.ChatClient;
import dev.wsstudy.servertests.support.Http;
import dev.wsstudy.servertests.support.ServerKind;
import dev.wsstudy.servertests.support.ServerProcess;
import dev.wsstudy.servertests.support.Stats;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cluster mode (docs/cluster.md) end to end: for each server kind, three node processes started
 * as users start them ({@code java -jar ... --cluster redis://127.0.0.1:P}) on one real
 * redis-server, chat members spread over the three, real sockets. The second test kills Redis
 * (SIGKILL) and restarts it on the same port. ({@link ClusterStartupTest}: no Redis at start.)
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.wsstudy.servertests.support.ServerKind#underTest")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterBehaviourTest {
    static final int NODES = 3;
    static final int MEMBERS_PER_NODE = 3;
    static final int MESSAGES_PER_MEMBER = 20;

    @Parameter
    ServerKind kind;
    static RedisServer redis;
    static List<ServerProcess> nodes;

    @BeforeParameterizedClassInvocation
    static void start(ServerKind kind) throws Exception {
        redis = RedisServer.start();
        // The three JVMs start in parallel: start-up time, not behaviour, dominates this class.
        nodes = new ArrayList<>();
        try (ExecutorService starter = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<ServerProcess>> starting = new ArrayList<>();
            for (int i = 0; i < NODES; i++) starting.add(starter.submit(() -> ServerProcess.start(kind, "--cluster", redis.url())));
            for (Future<ServerProcess> f : starting) nodes.add(f.get());
        }
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        if (nodes != null) nodes.forEach(ServerProcess::close);
        if (redis != null) redis.close();
    }

    /** A chat client on one node, with a reader thread queueing the chat messages it receives. */
    static final class Member implements AutoCloseable {
        final int node;
        final ChatClient client;
        final BlockingQueue<JsonNode> chats = new LinkedBlockingQueue<>();
        private final Thread reader;

        Member(int node, String clientId, String roomId) throws IOException {
            this.node = node;
            this.client = ChatClient.join(nodes.get(node).port(), clientId, roomId);
            this.reader = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        JsonNode m = client.next();
                        if ("chat".equals(m.path("type").asText())) chats.add(m);
                    }
                } catch (IOException closed) {
                    // the test is over for this client
                }
            });
        }

        void say(Object body) throws IOException {
            client.chat(null, Stats.JSON.valueToTree(body));
        }

        /** The next chat message, or an AssertionError naming who waited in vain. */
        JsonNode nextChat(Duration timeout) throws InterruptedException {
            JsonNode m = chats.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (m == null) throw new AssertionError(client.clientId + " on node " + node + ": no chat message within " + timeout);
            return m;
        }

        @Override
        public void close() throws IOException {
            client.close();
            reader.interrupt();
        }
    }

    private List<Member> spread(String roomId, int perNode) throws IOException {
        List<Member> members = new ArrayList<>();
        // Client ids unique per room: the nodes are shared by the tests, and a previous test's client
        // may still be registered until its node has processed the close (duplicate_client_id).
        for (int i = 0; i < NODES * perNode; i++) members.add(new Member(i % NODES, roomId + "-m" + i, roomId));
        return members;
    }

    private static JsonNode cluster(ServerProcess node) throws IOException {
        return Stats.fetch(node).path("cluster");
    }

    private static void awaitSubscribed(String roomId) {
        try (RedisProbe probe = new RedisProbe(redis.url())) {
            probe.awaitSubscribers(roomId, NODES); // SUBSCRIBE is asynchronous (docs/cluster.md)
        }
    }

    private static void awaitConnected(boolean connected) {
        RedisProbe.await(() -> nodes.stream().allMatch(n -> {
            try {
                return cluster(n).path("connected").asBoolean() == connected;
            } catch (IOException e) {
                return false;
            }
        }), "every node's /stats to say connected=" + connected);
    }

    @Test
    @Order(1)
    @Timeout(120)
    void membersOnThreeNodesGetEveryMessageExactlyOnceInPerSenderOrder() throws Exception {
        String roomId = "spread-" + kind;
        List<Member> members = spread(roomId, MEMBERS_PER_NODE);
        try {
            awaitSubscribed(roomId);
            for (int n = 0; n < MESSAGES_PER_MEMBER; n++) {
                for (Member m : members) m.say(Map.of("seq", n));
            }
            for (Member m : members) {
                Map<String, Integer> nextSeq = new HashMap<>();
                for (int i = 0; i < members.size() * MESSAGES_PER_MEMBER; i++) {
                    JsonNode chat = m.nextChat(Http.PATIENCE);
                    String from = chat.path("from").asText();
                    int seq = chat.path("body").path("seq").asInt(-1);
                    assertThat(seq).as("%s heard from %s", m.client.clientId, from).isEqualTo(nextSeq.getOrDefault(from, 0));
                    nextSeq.put(from, seq + 1);
                }
                assertThat(nextSeq).as("senders heard by %s", m.client.clientId).hasSize(members.size());
            }
            Thread.sleep(300); // a duplicate would have arrived by now
            for (Member m : members) assertThat(m.chats).as("extra messages for %s", m.client.clientId).isEmpty();

            // A node's own messages come back from Redis on its subscription, which it may read a
            // little after its members' chats arrived locally: wait until each node has seen one.
            RedisProbe.await(() -> nodes.stream().allMatch(n -> {
                try {
                    return cluster(n).path("ignoredOwn").asLong() > 0;
                } catch (IOException e) {
                    return false;
                }
            }), "every node to drop one of its own messages coming back from Redis");
            long received = 0;
            for (ServerProcess node : nodes) {
                JsonNode c = cluster(node);
                assertThat(c.path("enabled").asBoolean()).isTrue();
                assertThat(c.path("duplicates").asLong()).isZero();
                assertThat(c.path("missed").asLong()).isZero();
                assertThat(c.path("ignoredOwn").asLong()).as("own messages came back and were dropped").isPositive();
                received += c.path("received").asLong();
            }
            // Every chat crosses to the two other nodes once.
            assertThat(received).isGreaterThanOrEqualTo((long) members.size() * MESSAGES_PER_MEMBER * (NODES - 1));
        } finally {
            for (Member m : members) m.close();
        }
    }

    @Test
    @Order(2)
    @Timeout(120)
    void aRedisOutageKeepsLocalDeliveryAndCrossNodeDeliveryResumesAfterIt() throws Exception {
        String roomId = "outage-" + kind;
        List<Member> members = spread(roomId, 2); // members i and i+3 share node i
        try {
            awaitSubscribed(roomId);

            redis.kill();
            awaitConnected(false);
            for (int node = 0; node < NODES; node++) members.get(node).say("during-" + node);
            for (Member m : members) {
                assertThat(m.nextChat(Http.PATIENCE).path("body").asText())
                        .as("local delivery on node %d while Redis is down", m.node).isEqualTo("during-" + m.node);
            }

            redis.restart();
            awaitConnected(true);
            awaitSubscribed(roomId);
            for (int node = 0; node < NODES; node++) members.get(node).say("after-" + node);
            for (Member m : members) {
                List<String> heard = new ArrayList<>();
                for (int i = 0; i < NODES; i++) heard.add(m.nextChat(Http.PATIENCE).path("body").asText());
                assertThat(heard).as("%s on node %d after the outage", m.client.clientId, m.node)
                        .containsExactlyInAnyOrder("after-0", "after-1", "after-2"); // no "during" from elsewhere
            }

            for (ServerProcess node : nodes) {
                JsonNode c = cluster(node);
                assertThat(c.path("reconnects").asLong()).as("%s", c).isGreaterThanOrEqualTo(1);
                assertThat(c.path("lastGapMs").asLong()).as("%s", c).isPositive();
                assertThat(c.path("notPublished").asLong()).as("%s", c).isGreaterThanOrEqualTo(1);
                node.awaitLogLine(Pattern.compile("WARN +\\S+ cluster-disconnected"), Http.PATIENCE);
                node.awaitLogLine(Pattern.compile("INFO +\\S+ cluster-reconnected .*gapMs=\\d+"), Http.PATIENCE);
            }
        } finally {
            for (Member m : members) m.close();
        }
    }
}
