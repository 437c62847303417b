package dev.wsstudy.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
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
            Client c = Client.connect(port, "/echo");
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
    void aBroadcastReachesMembersWhoseWritersHadEnded(boolean virtual) throws Exception {
        ServerContext ctx = new ServerContext(ServerOptions.parse(virtual ? "virtualthread" : "threaded", "--port", "0"));
        BlockingServer server = new BlockingServer(ctx, factory(virtual));
        int port = server.start().getPort();
        try {
            Client[] members = new Client[3];
            for (int i = 0; i < members.length; i++) {
                members[i] = Client.connect(port, "/chat");
                members[i].ws.sendText("{\"type\":\"init\",\"clientId\":\"w" + i + "\",\"roomId\":\"quiet\"}", true).join();
                assertThat(members[i].nextMatching("\"welcome\"")).contains("\"welcome\"");
            }
            awaitValue(() -> ctx.stats.connectionThreadsLive.sum(), members.length);
            // Sent on member 0's reader thread; every member's writer must be started from there.
            members[0].ws.sendText("{\"type\":\"chat\",\"body\":\"wake up\"}", true).join();
            for (Client m : members) {
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

    /** A JDK WebSocket client that queues text messages. */
    private static final class Client implements WebSocket.Listener {
        WebSocket ws;
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();

        static Client connect(int port, String path) {
            Client c = new Client();
            c.ws = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + path), c).join();
            return c;
        }

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                messages.add(text.toString());
                text.setLength(0);
            }
            w.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
            closed.complete(code + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket w, Throwable error) {
            closed.complete("error " + error);
        }

        String next() throws InterruptedException {
            String m = messages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(m).as("a message within " + WAIT).isNotNull();
            return m;
        }

        String nextMatching(String fragment) throws InterruptedException {
            while (true) {
                String m = next();
                if (m.contains(fragment)) return m;
            }
        }
    }
}
