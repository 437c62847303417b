package dev.wsstudy.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A broadcast that has to start a member's writer thread must not hold that member's session lock
 * while the thread starts. Starting a platform thread returns only once the new thread has run;
 * with thousands of threads on one CPU that took long enough that every other reader sweeping the
 * same room queued on that member's lock, and 5,000 INITs did not finish in 10 s
 * (docs/servers.md, "Joining a big room"). Here the thread factory itself is made slow: it holds
 * the first writer start until released. Starting outside the lock lets a connection end while
 * another thread is still starting its writer; it must be cleaned up all the same.
 */
class SlowWriterStartTest {

    @ParameterizedTest(name = "virtual={0}")
    @ValueSource(booleans = {false, true})
    void aWriterSlowToStartHoldsUpNoOtherMembersJoin(boolean virtual) throws Exception {
        ServerContext ctx = new ServerContext(ServerOptions.parse(virtual ? "virtualthread" : "threaded", "--port", "0"));
        ThreadFactory real = virtual ? Thread.ofVirtual().factory() : Thread.ofPlatform().factory();
        AtomicBoolean armed = new AtomicBoolean();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        BlockingServer server = new BlockingServer(ctx, r -> {
            if (armed.compareAndSet(true, false)) { // the first thread asked for once armed: slow
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return real.newThread(r);
        });
        int port = server.start().getPort();
        HttpClient http = HttpClient.newHttpClient();
        try {
            JdkClient a = join(http, port, "a");
            // Everyone connected (their readers exist) before the factory turns slow.
            JdkClient b = JdkClient.connect(http, port, "/chat");
            JdkClient c = JdkClient.connect(http, port, "/chat");
            awaitValue(() -> ctx.stats.connectionsOpen.sum(), 3);
            // a's reader wrote its own welcome: it has no writer, so b's join notice must start one.
            awaitValue(() -> ctx.stats.connectionThreadsLive.sum(), 3);
            armed.set(true);
            b.ws.sendText(init("b"), true).join();
            assertThat(entered.await(JdkClient.WAIT.toSeconds(), TimeUnit.SECONDS)).as("b's join notice starts a's writer").isTrue();
            // b's reader is now stuck starting a's writer. c's join also tells a; it must not wait for b.
            c.ws.sendText(init("c"), true).join();
            assertThat(c.nextMatching("\"welcome\"")).contains("\"clientId\":\"c\"", "\"members\":3");
            release.countDown();
            // Nothing was lost meanwhile. Notices may come before a welcome (docs/wire-protocol.md).
            awaitAll(a, "{\"type\":\"join\",\"clientId\":\"b\"", "{\"type\":\"join\",\"clientId\":\"c\"");
            awaitAll(b, "{\"type\":\"welcome\",\"clientId\":\"b\"", "{\"type\":\"join\",\"clientId\":\"c\"");
        } finally {
            release.countDown();
            server.shutdown(2000);
        }
    }

    @Test
    void aConnectionThatEndsWhileItsWriterIsStartingIsStillCleanedUp() throws Exception {
        ServerContext ctx = new ServerContext(ServerOptions.parse("threaded", "--port", "0"));
        AtomicBoolean armed = new AtomicBoolean();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> made = new CopyOnWriteArrayList<>();
        BlockingServer server = new BlockingServer(ctx, r -> {
            // Platform threads can be subclassed: hold the first start once armed, after the
            // connection has already published the thread as its writer.
            Thread t = new Thread(r) {
                @Override
                public void start() {
                    if (armed.compareAndSet(true, false)) {
                        entered.countDown();
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    super.start();
                }
            };
            made.add(t);
            return t;
        });
        int port = server.start().getPort();
        HttpClient http = HttpClient.newHttpClient();
        try {
            JdkClient a = join(http, port, "a");
            Thread aReader = made.getLast();
            JdkClient b = JdkClient.connect(http, port, "/chat");
            awaitValue(() -> ctx.stats.connectionThreadsLive.sum(), 2);
            armed.set(true);
            b.ws.sendText(init("b"), true).join(); // its join notice starts a's writer: held
            assertThat(entered.await(JdkClient.WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            a.ws.abort(); // a's reader reads EOF and finishes while its writer is not started yet
            long deadline = System.nanoTime() + JdkClient.WAIT.toNanos();
            while (aReader.getState() != Thread.State.TIMED_WAITING && aReader.isAlive() && System.nanoTime() - deadline < 0) {
                Thread.sleep(10);
            }
            release.countDown();
            assertThat(b.nextMatching("\"leave\"")).contains("\"clientId\":\"a\"");
            awaitValue(() -> ctx.stats.connectionsOpen.sum(), 1);
            awaitValue(() -> ctx.stats.connectionThreadsLive.sum(), 1);
        } finally {
            release.countDown();
            server.shutdown(2000);
        }
    }

    private static String init(String id) {
        return "{\"type\":\"init\",\"clientId\":\"" + id + "\",\"roomId\":\"big\"}";
    }

    private static JdkClient join(HttpClient http, int port, String id) throws InterruptedException {
        JdkClient c = JdkClient.connect(http, port, "/chat");
        c.ws.sendText(init(id), true).join();
        assertThat(c.nextMatching("\"welcome\"")).contains("\"clientId\":\"" + id + "\"");
        return c;
    }

    /** Reads until every fragment has been seen, in any order; fails after {@link JdkClient#WAIT} per message. */
    private static void awaitAll(JdkClient client, String... fragments) throws InterruptedException {
        Set<String> missing = new HashSet<>(List.of(fragments));
        while (!missing.isEmpty()) {
            String m = client.next();
            missing.removeIf(m::startsWith);
        }
    }

    private static void awaitValue(LongSupplier value, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + JdkClient.WAIT.toNanos();
        while (value.getAsLong() != expected && System.nanoTime() - deadline < 0) Thread.sleep(20);
        assertThat(value.getAsLong()).as("value within " + JdkClient.WAIT).isEqualTo(expected);
    }
}
