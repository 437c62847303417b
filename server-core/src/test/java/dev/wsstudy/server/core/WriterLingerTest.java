package dev.wsstudy.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The blocking servers' writer thread exists only while there is output: an idle connection holds
 * its reader alone, and any later output (an echo, a broadcast from another member's thread, the
 * close handshake) starts a writer again and reaches the client. Both thread kinds, same code.
 */
class WriterLingerTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static ThreadFactory factory(boolean virtual) {
        return virtual ? Thread.ofVirtual().name("vconn-", 0).factory() : Thread.ofPlatform().name("conn-", 0).factory();
    }

    @ParameterizedTest(name = "virtual={0}")
    @ValueSource(booleans = {false, true})
    void anIdleConnectionKeepsOnlyItsReaderAndOutputBringsTheWriterBack(boolean virtual) throws Exception {
        ServerContext ctx = new ServerContext(ServerOptions.parse(virtual ? "virtualthread" : "threaded", "--port", "0"));
        BlockingServer server = new BlockingServer(ctx, factory(virtual));
        int port = server.start().getPort();
        try {
            JdkClient c = JdkClient.connect(HttpClient.newHttpClient(), port, "/echo");
            c.ws.sendText("one", true).join();
            assertThat(c.next()).isEqualTo("one");
            // Idle past the linger: the writer ends, the reader stays.
            awaitValue(() -> ctx.stats.connectionThreadsLive.sum(), 1);
            c.ws.sendText("two", true).join();
            assertThat(c.next()).isEqualTo("two");
            awaitValue(() -> ctx.stats.connectionThreadsLive.sum(), 1);
            // The close answer needs a writer too.
            c.ws.sendClose(1000, "bye").join();
            assertThat(c.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("1000 ");
            awaitValue(() -> ctx.stats.connectionsOpen.sum(), 0);
            awaitValue(() -> ctx.stats.connectionThreadsLive.sum(), 0);
        } finally {
            server.shutdown(2000);
        }
    }

    @ParameterizedTest(name = "virtual={0}")
    @ValueSource(booleans = {false, true})
    void theReaderWritesItsOwnAnswersSoAnEchoClientNeverStartsAWriter(boolean virtual) throws Exception {
        ServerContext ctx = new ServerContext(ServerOptions.parse(virtual ? "virtualthread" : "threaded", "--port", "0"));
        AtomicInteger threadsMade = new AtomicInteger();
        ThreadFactory real = factory(virtual);
        BlockingServer server = new BlockingServer(ctx, r -> {
            threadsMade.incrementAndGet();
            return real.newThread(r);
        });
        int port = server.start().getPort();
        int atStart = threadsMade.get(); // the server's own (its I/O warm-up thread)
        try {
            JdkClient c = JdkClient.connect(HttpClient.newHttpClient(), port, "/echo");
            for (int i = 0; i < 200; i++) {
                c.ws.sendText("echo " + i, true).join();
                assertThat(c.next()).isEqualTo("echo " + i);
            }
            // The 101 and 200 echoes (small: the socket takes each whole) left on the reader alone.
            assertThat(threadsMade.get() - atStart).as("threads made for one echo connection").isEqualTo(1);
        } finally {
            server.shutdown(2000);
        }
    }

    @ParameterizedTest(name = "virtual={0}")
    @ValueSource(booleans = {false, true})
    void aBroadcastReachesMembersWhoseWritersHadEnded(boolean virtual) throws Exception {
        ServerContext ctx = new ServerContext(ServerOptions.parse(virtual ? "virtualthread" : "threaded", "--port", "0"));
        BlockingServer server = new BlockingServer(ctx, factory(virtual));
        int port = server.start().getPort();
        try {
            JdkClient[] members = new JdkClient[3];
            for (int i = 0; i < members.length; i++) {
                members[i] = JdkClient.connect(HttpClient.newHttpClient(), port, "/chat");
                members[i].ws.sendText("{\"type\":\"init\",\"clientId\":\"w" + i + "\",\"roomId\":\"quiet\"}", true).join();
                assertThat(members[i].nextMatching("\"welcome\"")).contains("\"welcome\"");
            }
            awaitValue(() -> ctx.stats.connectionThreadsLive.sum(), members.length);
            // Sent on member 0's reader thread; every member's writer must be started from there.
            members[0].ws.sendText("{\"type\":\"chat\",\"body\":\"wake up\"}", true).join();
            for (JdkClient m : members) {
                assertThat(m.nextMatching("\"chat\"")).contains("\"from\":\"w0\"", "\"body\":\"wake up\"");
            }
        } finally {
            server.shutdown(2000);
        }
    }

    private static void awaitValue(LongSupplier value, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (value.getAsLong() != expected && System.nanoTime() - deadline < 0) Thread.sleep(20);
        assertThat(value.getAsLong()).as("value within " + WAIT).isEqualTo(expected);
    }
}
