package dev.wsstudy.server.eventloop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsstudy.app.PreparedMessage;
import dev.wsstudy.server.core.ServerContext;
import dev.wsstudy.server.core.ServerOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Output queued by other threads reaches the socket: the way a cluster message arrives (Lettuce's
 * thread hands one frame to every local member of a room). Such a touch puts the connection on a
 * lock-free stack and wakes the selector only when the stack was empty; several threads touching
 * the same connections at once must lose no touch and no wakeup, or a member's output would sit
 * in its outbox until something else woke the loop.
 */
class CrossThreadTouchTest {

    private static final int CLIENTS = 20;
    private static final int THREADS = 4;
    private static final int PER_THREAD = 250;

    private EventLoopServer server;
    private int port;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<WebSocket> sockets = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = new EventLoopServer(new ServerContext(ServerOptions.parse("eventloop", "--port", "0")));
        port = server.start().getPort();
    }

    @AfterEach
    void stop() {
        sockets.forEach(WebSocket::abort);
        server.shutdown(2000);
        http.close();
    }

    @Test
    void outputQueuedFromManyThreadsAtOnceIsAllWritten() throws Exception {
        List<Counter> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            Counter c = new Counter();
            WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/chat"), c)
                    .get(30, TimeUnit.SECONDS);
            sockets.add(ws);
            ws.sendText("{\"type\":\"init\",\"clientId\":\"c" + i + "\",\"roomId\":\"r\"}", true).get(30, TimeUnit.SECONDS);
            assertThat(c.welcome.get(30, TimeUnit.SECONDS)).as("welcome of c" + i).contains("\"clientId\":\"c" + i + "\"");
            clients.add(c);
        }

        CountDownLatch go = new CountDownLatch(1);
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            senders.add(Thread.ofPlatform().name("foreign-" + t).start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int n = 0; n < PER_THREAD; n++) {
                    server.ctx.router.rooms().deliverLocal("r",
                            PreparedMessage.text("{\"type\":\"foreign\",\"from\":\"" + id + "-" + n + "\"}"));
                }
            }));
        }
        go.countDown();
        for (Thread t : senders) t.join(TimeUnit.SECONDS.toMillis(60));

        int expected = THREADS * PER_THREAD;
        for (int i = 0; i < CLIENTS; i++) {
            Counter c = clients.get(i);
            assertThat(c.allArrived.await(60, TimeUnit.SECONDS))
                    .as("c%d received %d of %d foreign messages", i, c.foreign.get(), expected).isTrue();
        }
        assertThat(server.ctx.stats.slowConsumersClosed.sum()).isZero();
    }

    /** Counts the messages sent from the foreign threads (join notices aside). */
    private static final class Counter implements WebSocket.Listener {
        final CompletableFuture<String> welcome = new CompletableFuture<>();
        final AtomicInteger foreign = new AtomicInteger();
        final CountDownLatch allArrived = new CountDownLatch(1);
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String m = text.toString();
                text.setLength(0);
                if (m.contains("\"type\":\"welcome\"")) welcome.complete(m);
                if (m.contains("\"type\":\"foreign\"") && foreign.incrementAndGet() == THREADS * PER_THREAD) {
                    allArrived.countDown();
                }
            }
            w.request(1);
            return null;
        }
    }
}
