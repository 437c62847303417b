package dev.wsstudy.protocol.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsstudy.app.Endpoint;
import dev.wsstudy.app.Router;
import dev.wsstudy.protocol.HttpResponder;
import dev.wsstudy.protocol.ProtocolConfig;
import dev.wsstudy.protocol.session.Session;
import dev.wsstudy.protocol.session.SessionEvents;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One session on a recording transport, with a recording endpoint at {@code /test}, and helpers to
 * feed it and read what it answered. Time is explicit: {@link #now} is passed to every call.
 */
public final class Harness {
    public final RecordingTransport transport = new RecordingTransport();
    public final RecordingEndpoint endpoint = new RecordingEndpoint();
    public final List<String> events = new ArrayList<>();
    public final Session session;
    public long now = 1_000_000_000L;
    private int framesSeen;

    public Harness() {
        this(ProtocolConfig.defaults());
    }

    public Harness(ProtocolConfig config) {
        this(config, null);
    }

    public Harness(ProtocolConfig config, HttpResponder http) {
        this(config, http, Map.of());
    }

    public Harness(ProtocolConfig config, HttpResponder http, Map<String, Endpoint> more) {
        Map<String, Endpoint> endpoints = new java.util.HashMap<>(more);
        endpoints.put("/test", endpoint);
        Router router = new Router(endpoints, null);
        session = new Session(config, router, http, transport, now, new SessionEvents() {
            @Override
            public void opened(String path) {
                events.add("opened " + path);
            }

            @Override
            public void httpServed(String method, String target, int status) {
                events.add("http " + status + " " + target);
            }

            @Override
            public void handshakeRejected(int status, String why) {
                events.add("rejected " + status + " " + why);
            }

            @Override
            public void protocolError(int closeCode, String why) {
                events.add("protocolError " + closeCode + " " + why);
            }

            @Override
            public void timedOut(String what) {
                events.add("timedOut " + what);
            }

            @Override
            public void handlerFailed(Throwable error) {
                events.add("handlerFailed " + error);
            }

            @Override
            public void closed(int code, String reason) {
                events.add("closed " + code);
            }
        });
    }

    /** A harness already upgraded on {@code /test}. */
    public static Harness open(ProtocolConfig config) {
        Harness h = new Harness(config);
        h.feed(Client.upgrade("/test"));
        assertThat(h.output().status()).isEqualTo(101);
        return h;
    }

    public static Harness open() {
        return open(ProtocolConfig.defaults());
    }

    /** A harness upgraded on {@code /echo}, the real echo application. */
    public static Harness echo(ProtocolConfig config) {
        Harness h = new Harness(config, null, Map.of("/echo", new dev.wsstudy.app.echo.EchoEndpoint()));
        h.feed(Client.upgrade("/echo"));
        assertThat(h.output().status()).isEqualTo(101);
        return h;
    }

    public static Harness echo() {
        return echo(ProtocolConfig.defaults());
    }

    /** Feeds all parts concatenated, as one read. */
    public Harness feed(byte[]... parts) {
        session.receive(ByteBuffer.wrap(Client.concat(parts)), now);
        return this;
    }

    /** Feeds a copy of {@code original} (the session unmasks in place) in reads of at most {@code chunk} bytes. */
    public Harness feedInChunks(byte[] original, int chunk) {
        byte[] bytes = original.clone();
        for (int i = 0; i < bytes.length; i += chunk) {
            session.receive(ByteBuffer.wrap(bytes, i, Math.min(chunk, bytes.length - i)).slice(), now);
        }
        return this;
    }

    public ServerOutput output() {
        return ServerOutput.parse(transport.bytes());
    }

    /** Frames the server sent since the last call. */
    public List<ServerOutput.Frame> newFrames() {
        List<ServerOutput.Frame> all = output().frames();
        List<ServerOutput.Frame> fresh = List.copyOf(all.subList(framesSeen, all.size()));
        framesSeen = all.size();
        return fresh;
    }

    /** The last frame sent, which must be a close frame; returns its code. */
    public int closeCodeSent() {
        List<ServerOutput.Frame> frames = output().frames();
        assertThat(frames).isNotEmpty();
        ServerOutput.Frame last = frames.get(frames.size() - 1);
        assertThat(last.opcode()).as("last frame is a close frame").isEqualTo(dev.wsstudy.protocol.frame.Opcode.CLOSE);
        return last.closeCode();
    }
}
