package dev.wsstudy.protocol.session;

import static dev.wsstudy.protocol.testing.Client.concat;
import static dev.wsstudy.protocol.testing.Client.frame;
import static dev.wsstudy.protocol.testing.Client.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wsstudy.app.Endpoint;
import dev.wsstudy.app.Handler;
import dev.wsstudy.app.Message;
import dev.wsstudy.app.PreparedMessage;
import dev.wsstudy.protocol.ProtocolConfig;
import dev.wsstudy.protocol.frame.Opcode;
import dev.wsstudy.protocol.handshake.HttpResponse;
import dev.wsstudy.protocol.testing.Client;
import dev.wsstudy.protocol.testing.Harness;
import dev.wsstudy.protocol.testing.RecordingEndpoint;
import dev.wsstudy.protocol.testing.ServerOutput;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The session state machine: handshake, plain HTTP, timeouts, closing both ways, threads, memory. */
class SessionLifecycleTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void upgradeArrivingOneByteAtATimeWithFramesRightBehindIt() {
        Harness h = new Harness();
        h.feedInChunks(concat(Client.upgrade("/test"), text("first"), text("second")), 1);
        assertThat(h.output().status()).isEqualTo(101);
        assertThat(h.endpoint.messages).extracting(RecordingEndpoint.Received::string).containsExactly("first", "second");
        assertThat(h.endpoint.events).containsExactly("open", "message", "message");
        assertThat(h.events).contains("opened /test");
    }

    @Test
    void framesInTheSameReadAsTheHeadAreDecoded() {
        Harness h = new Harness();
        h.feed(Client.upgrade("/test"), text("right behind"));
        assertThat(h.endpoint.messages).extracting(RecordingEndpoint.Received::string).containsExactly("right behind");
    }

    @Test
    void handshakeParserIsReleasedAfterTheUpgrade() {
        Harness h = new Harness();
        assertThat(h.session.holdsHandshakeParser()).isTrue();
        h.feed(Client.upgrade("/test"));
        assertThat(h.session.holdsHandshakeParser()).isFalse();
    }

    @Test
    void anOpenSessionCreatesItsFrameDecoderWithTheFirstFrameByte() {
        Harness h = new Harness();
        h.feed(Client.upgrade("/test"));
        assertThat(h.session.isOpen()).isTrue();
        assertThat(h.session.holdsFrameDecoder()).isFalse();
        h.feed(text("first"));
        assertThat(h.session.holdsFrameDecoder()).isTrue();
        assertThat(h.endpoint.messages).extracting(RecordingEndpoint.Received::string).containsExactly("first");
    }

    @Test
    void plainGetIsAnsweredByTheHttpResponderThenClosed() {
        Harness h = new Harness(ProtocolConfig.defaults(), request -> request.path().equals("/health")
                ? HttpResponse.ok("text/plain", "ok".getBytes(StandardCharsets.US_ASCII)) : null);
        h.feed("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        String answer = h.output().head();
        assertThat(answer).startsWith("HTTP/1.1 200 OK\r\n").contains("Connection: close\r\n").endsWith("\r\n\r\nok");
        assertThat(h.session.state()).isEqualTo(SessionState.CLOSED);
        assertThat(h.transport.closeAfterFlushCalls()).isEqualTo(1);
        assertThat(h.events).containsExactly("http 200 /health");
    }

    @Test
    void plainGetThatNoRouteClaimsIs404() {
        Harness h = new Harness();
        h.feed("GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(h.output().status()).isEqualTo(404);
        assertThat(h.transport.closed()).isTrue();
    }

    @Test
    void responderThatThrowsGives500AndAnEvent() {
        Harness h = new Harness(ProtocolConfig.defaults(), request -> {
            throw new IllegalStateException("boom");
        });
        h.feed("GET /x HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(h.output().status()).isEqualTo(500);
        assertThat(h.events).anyMatch(e -> e.startsWith("handlerFailed"));
    }

    @Test
    void endpointThatThrowsDuringOpenGives500() {
        Endpoint broken = (peer, request) -> {
            throw new IllegalStateException("no");
        };
        Harness h = new Harness(ProtocolConfig.defaults(), null, Map.of("/broken", broken));
        h.feed(Client.upgrade("/broken"));
        assertThat(h.output().status()).isEqualTo(500);
        assertThat(h.session.state()).isEqualTo(SessionState.CLOSED);
    }

    @Test
    void notHttpIsAnswered400AndTheRestIgnored() {
        Harness h = new Harness();
        h.feed(new byte[] {0x16, 0x03, 0x01, 0x00, 0x10});
        h.feed(Client.upgrade("/test"));
        assertThat(h.output().status()).isEqualTo(400);
        assertThat(h.output().head()).contains("Connection: close");
        assertThat(h.endpoint.events).isEmpty();
        assertThat(h.transport.sendCount()).isEqualTo(1);
    }

    @Test
    void handshakeTimeoutDropsAConnectionThatNeverFinishesItsHead() {
        Harness h = new Harness(ProtocolConfig.defaults().withHandshakeTimeoutNanos(10 * SECOND));
        h.feed("GET /test HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
        h.session.tick(h.now + 9 * SECOND);
        assertThat(h.transport.closed()).isFalse();
        h.session.tick(h.now + 10 * SECOND);
        assertThat(h.transport.abortCalls()).isEqualTo(1);
        assertThat(h.session.state()).isEqualTo(SessionState.CLOSED);
        assertThat(h.events).containsExactly("timedOut handshake");
    }

    @Test
    void handshakeTimeoutNoLongerAppliesOnceOpen() {
        Harness h = Harness.open(ProtocolConfig.defaults().withHandshakeTimeoutNanos(SECOND));
        h.session.tick(h.now + 100 * SECOND);
        assertThat(h.session.isOpen()).isTrue();
    }

    @Test
    void idleTimeoutCloses1001AndWaitsForThePeersClose() {
        Harness h = Harness.open(ProtocolConfig.defaults().withIdleTimeoutNanos(5 * SECOND));
        h.now += 3 * SECOND;
        h.feed(text("activity"));
        h.session.tick(h.now + 4 * SECOND);
        assertThat(h.session.isOpen()).as("activity restarted the idle clock").isTrue();
        h.session.tick(h.now + 5 * SECOND);
        assertThat(h.closeCodeSent()).isEqualTo(1001);
        assertThat(h.session.state()).isEqualTo(SessionState.CLOSING);
        assertThat(h.events).contains("timedOut idle");
        h.feed(Client.close(1000, ""));
        assertThat(h.session.state()).isEqualTo(SessionState.CLOSED);
        assertThat(h.transport.closeAfterFlushCalls()).isEqualTo(1);
        assertThat(h.endpoint.closeCode).isEqualTo(1000);
        assertThat(h.output().frames()).extracting(ServerOutput.Frame::opcode).containsOnlyOnce(Opcode.CLOSE);
    }

    @Test
    void closeTimeoutAbortsAPeerThatNeverAnswersOurClose() {
        Harness h = Harness.open(ProtocolConfig.defaults().withCloseTimeoutNanos(3 * SECOND));
        h.session.close(1001, "going away");
        assertThat(h.session.state()).isEqualTo(SessionState.CLOSING);
        h.session.tick(h.now);            // starts the close clock
        h.session.tick(h.now + 2 * SECOND);
        assertThat(h.transport.closed()).isFalse();
        h.session.tick(h.now + 3 * SECOND);
        assertThat(h.transport.abortCalls()).isEqualTo(1);
        assertThat(h.session.state()).isEqualTo(SessionState.CLOSED);
        assertThat(h.endpoint.closeCode).isEqualTo(1001);
        assertThat(h.events).contains("timedOut close", "closed 1001");
    }

    @Test
    void keepAlivePingIsSentAfterAQuietIntervalAndNotDuringTraffic() {
        Harness h = Harness.open(ProtocolConfig.defaults().withPingIntervalNanos(10 * SECOND));
        h.newFrames();
        h.session.tick(h.now + 9 * SECOND);
        assertThat(h.newFrames()).isEmpty();
        h.session.tick(h.now + 10 * SECOND);
        assertThat(h.newFrames()).extracting(ServerOutput.Frame::opcode).containsExactly(Opcode.PING);
        h.session.tick(h.now + 11 * SECOND);
        assertThat(h.newFrames()).as("one ping per interval").isEmpty();
        h.now += 12 * SECOND;
        h.feed(frame(Opcode.PONG, true, new byte[0]));
        h.session.tick(h.now + 5 * SECOND);
        assertThat(h.newFrames()).as("the pong was activity").isEmpty();
    }

    @Test
    void pongsKeepAConnectionWithPingsAndIdleTimeoutAlive() {
        Harness h = Harness.open(ProtocolConfig.defaults().withPingIntervalNanos(10 * SECOND)
                .withIdleTimeoutNanos(15 * SECOND));
        for (int i = 1; i <= 10; i++) {
            h.now += 10 * SECOND;
            h.session.tick(h.now);
            h.now += SECOND;
            h.feed(frame(Opcode.PONG, true, new byte[0]));
        }
        assertThat(h.session.isOpen()).isTrue();
    }

    @Test
    void closeFromAnotherThreadSendsCloseAndStopsDataFrames() throws Exception {
        Harness h = Harness.open();
        Thread shutdown = new Thread(() -> h.session.close(1001, "server shutting down"));
        shutdown.start();
        shutdown.join();
        assertThat(h.closeCodeSent()).isEqualTo(1001);
        assertThat(h.endpoint.peer.send(PreparedMessage.text("late"))).isFalse();
        h.feed(text("not delivered while closing"));
        assertThat(h.endpoint.messages).isEmpty();
        h.feed(Client.close(1001, ""));
        assertThat(h.session.state()).isEqualTo(SessionState.CLOSED);
        assertThat(h.endpoint.events).containsExactly("open", "close");
    }

    @Test
    void closeBeforeTheUpgradeDropsTheConnection() {
        Harness h = new Harness();
        h.session.close(1001, "shutdown");
        assertThat(h.transport.abortCalls()).isEqualTo(1);
        h.feed(Client.upgrade("/test"));
        assertThat(h.transport.sendCount()).isZero();
    }

    @Test
    void noDataFrameEverFollowsTheCloseFrameWhateverThreadsSend() throws Exception {
        for (int round = 0; round < 20; round++) {
            Harness h = Harness.open();
            CountDownLatch start = new CountDownLatch(1);
            Thread[] senders = new Thread[4];
            for (int t = 0; t < senders.length; t++) {
                senders[t] = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < 2000; i++) {
                        h.endpoint.peer.send(PreparedMessage.text("x"));
                    }
                });
                senders[t].start();
            }
            start.countDown();
            h.session.close(1001, "bye");
            for (Thread t : senders) {
                t.join();
            }
            List<ServerOutput.Frame> frames = h.output().frames();
            assertThat(frames.get(frames.size() - 1).opcode()).isEqualTo(Opcode.CLOSE);
            assertThat(frames).extracting(ServerOutput.Frame::opcode).containsOnlyOnce(Opcode.CLOSE);
        }
    }

    @Test
    void transportClosedFiresOnCloseExactlyOnceWith1006() {
        Harness h = Harness.open();
        h.session.transportClosed();
        h.session.transportClosed();
        assertThat(h.endpoint.events).containsExactly("open", "close");
        assertThat(h.endpoint.closeCode).isEqualTo(1006);
        assertThat(h.events).containsOnlyOnce("closed 1006");
        assertThat(h.session.state()).isEqualTo(SessionState.CLOSED);
        h.feed(text("ignored"));
        assertThat(h.endpoint.messages).isEmpty();
    }

    @Test
    void transportClosedAfterACleanCloseDoesNotFireOnCloseAgain() {
        Harness h = Harness.open();
        h.feed(Client.close(1000, "done"));
        h.session.transportClosed();
        assertThat(h.endpoint.events).containsExactly("open", "close");
        assertThat(h.endpoint.closeCode).isEqualTo(1000);
        assertThat(h.endpoint.closeReason).isEqualTo("done");
    }

    @Test
    void endOfInputWithoutCloseFrameIsAbnormal1006() {
        Harness h = Harness.open();
        h.session.inputClosed(h.now);
        assertThat(h.endpoint.closeCode).isEqualTo(1006);
        assertThat(h.transport.closeAfterFlushCalls()).isEqualTo(1);
        assertThat(h.session.state()).isEqualTo(SessionState.CLOSED);
    }

    @Test
    void endOfInputDuringTheHandshakeClosesWithoutAnswer() {
        Harness h = new Harness();
        h.feed("GET /test HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
        h.session.inputClosed(h.now);
        assertThat(h.transport.sendCount()).isZero();
        assertThat(h.transport.closed()).isTrue();
    }

    @Test
    void handlerExceptionFailsTheConnectionWith1011() {
        Endpoint throwing = (peer, request) -> new Handler() {
            @Override
            public void onOpen() {
            }

            @Override
            public void onMessage(Message message) {
                throw new IllegalStateException("bug");
            }

            @Override
            public void onClose(int code, String reason) {
            }
        };
        Harness h = new Harness(ProtocolConfig.defaults(), null, Map.of("/throwing", throwing));
        h.feed(Client.upgrade("/throwing"), text("boom"), text("never seen"));
        assertThat(h.closeCodeSent()).isEqualTo(1011);
        assertThat(h.events).anyMatch(e -> e.startsWith("handlerFailed"));
        assertThat(h.session.state()).isEqualTo(SessionState.CLOSED);
    }

    @Test
    void refusedSendMarksASlowConsumerClosingAndTheCloseTimeoutEndsIt() {
        Harness h = Harness.open(ProtocolConfig.defaults().withCloseTimeoutNanos(SECOND));
        h.transport.refuseSends();
        assertThat(h.endpoint.peer.send(PreparedMessage.text("too much"))).isFalse();
        assertThat(h.session.state()).isEqualTo(SessionState.CLOSING);
        assertThat(h.endpoint.peer.send(PreparedMessage.text("more"))).isFalse();
        h.session.tick(h.now);
        h.session.tick(h.now + SECOND);
        assertThat(h.transport.abortCalls()).isEqualTo(1);
        assertThat(h.endpoint.closeCode).isEqualTo(1008);
    }

    @Test
    void protocolErrorIsReportedAsAnEvent() {
        Harness h = Harness.open();
        h.feed("\u0081\u0001x".getBytes(StandardCharsets.ISO_8859_1)); // unmasked
        assertThat(h.events).anyMatch(e -> e.startsWith("protocolError 1002"));
        assertThat(h.endpoint.closeCode).isEqualTo(1002);
    }

    @Test
    void idleOpenSessionHoldsNoMessageBuffer() {
        Harness h = Harness.open();
        byte[] big = frame(Opcode.BINARY, true, new byte[100_000]);
        h.feed(java.util.Arrays.copyOf(big, 50_000));
        assertThat(h.session.reassemblyCapacity()).isPositive();
        h.feed(java.util.Arrays.copyOfRange(big, 50_000, big.length));
        assertThat(h.endpoint.messages).hasSize(1);
        assertThat(h.session.reassemblyCapacity()).isZero();
    }

    @Test
    void wholeMessageInOneReadIsDeliveredWithoutBuffering() {
        Harness h = Harness.open();
        h.feed(text("zero copy"));
        assertThat(h.session.reassemblyCapacity()).isZero();
        assertThat(h.endpoint.messages).hasSize(1);
    }

    @Test
    void peerReportsIdAndRemoteAddress() {
        Harness h = Harness.open();
        assertThat(h.endpoint.peer.id()).isEqualTo(h.session.id()).startsWith("c");
        assertThat(h.endpoint.peer.remoteAddress()).isEqualTo("127.0.0.1:40000");
        assertThat(h.endpoint.request.path()).isEqualTo("/test");
    }

    @Test
    void closeRefusesCodesThatMayNotBeSent() {
        Harness h = Harness.open();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> h.session.close(1006, "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(h.session.isOpen()).isTrue();
        h.session.close(1005, "ignored");
        assertThat(h.output().frames().get(0).payload()).as("1005: a close frame without code").isEmpty();
    }
}
