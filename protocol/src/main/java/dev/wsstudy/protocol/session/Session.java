package dev.wsstudy.protocol.session;

import dev.wsstudy.app.Endpoint;
import dev.wsstudy.app.Handler;
import dev.wsstudy.app.Message;
import dev.wsstudy.app.Peer;
import dev.wsstudy.app.PreparedMessage;
import dev.wsstudy.app.Router;
import dev.wsstudy.protocol.CloseCodes;
import dev.wsstudy.protocol.HttpResponder;
import dev.wsstudy.protocol.ProtocolConfig;
import dev.wsstudy.protocol.Transport;
import dev.wsstudy.protocol.frame.FrameDecoder;
import dev.wsstudy.protocol.frame.FrameEncoder;
import dev.wsstudy.protocol.frame.Opcode;
import dev.wsstudy.protocol.frame.ProtocolException;
import dev.wsstudy.protocol.handshake.Handshake;
import dev.wsstudy.protocol.handshake.HandshakeParser;
import dev.wsstudy.protocol.handshake.HttpRequestHead;
import dev.wsstudy.protocol.handshake.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One WebSocket connection's protocol state, without I/O: CONNECTING (reading the HTTP head) →
 * OPEN → CLOSING (our close frame sent, waiting for the peer's) → CLOSED.
 *
 * <p><b>Thread contract.</b> {@link #receive}, {@link #inputClosed}, {@link #tick} and
 * {@link #transportClosed} are called by one thread at a time (the connection's reader, or the
 * event loop); the handler's events run on that thread. {@link #close} and the {@link Peer}'s
 * {@code send}/{@code close} may be called from any thread. Every state change and every write
 * to the transport happens under one small lock, so no data frame can follow our close frame
 * (RFC 6455 §5.5.1) whatever thread sends it. Application code is never called under that lock
 * (a broadcast takes other sessions' locks; holding ours meanwhile could deadlock), and neither is
 * the transport's writer started or woken: frames are queued under it ({@link Transport#enqueue})
 * and {@link Transport#wake} follows its release, since a thread start can take milliseconds.
 *
 * <p><b>Closing.</b> A close frame from the peer is answered with 1000 and the transport is told
 * to close after flushing (§7.1.1: the server closes TCP first). A protocol violation sends a
 * close frame with its code and closes likewise (§7.1.7, "fail the connection"). A close we start
 * ({@link #close}, idle timeout) waits up to the close timeout for the peer's answer; the timeout
 * starts at the next {@link #tick}, since {@code close} is not given the time.
 *
 * <p><b>Memory.</b> The handshake parser is dropped after the head; the frame decoder and message
 * assembler are created with the first frame; an open, idle session holds no payload buffer (see
 * {@link MessageAssembler}).
 */
public final class Session {
    private static final AtomicLong IDS = new AtomicLong();

    private final ProtocolConfig config;
    private final Router router;
    private final HttpResponder http;
    private final Transport transport;
    private final SessionEvents events;
    private final String id = "c" + IDS.incrementAndGet();
    private final long createdNanos;

    // Shared between threads: written under lock.
    private final Object lock = new Object();
    private volatile SessionState state = SessionState.CONNECTING;
    private boolean closeSent;
    private int sentCloseCode;
    private String sentCloseReason = "";
    private boolean transportCloseRequested;

    // Reader thread only.
    private HandshakeParser parser;
    private FrameDecoder decoder;
    private MessageAssembler assembler;
    private Handler handler;
    private String path;
    private String subprotocol;
    private boolean closeReported;
    private long lastReceivedNanos;
    private long lastPingNanos;
    private long closeDeadlineNanos;
    private int receivedCloseCode = -1;
    private String receivedCloseReason = "";

    public Session(ProtocolConfig config, Router router, HttpResponder http, Transport transport, long nowNanos) {
        this(config, router, http, transport, nowNanos, SessionEvents.NONE);
    }

    public Session(ProtocolConfig config, Router router, HttpResponder http, Transport transport, long nowNanos,
                   SessionEvents events) {
        this.config = Objects.requireNonNull(config, "config");
        this.router = Objects.requireNonNull(router, "router");
        this.http = http == null ? HttpResponder.NONE : http;
        this.transport = Objects.requireNonNull(transport, "transport");
        this.events = events == null ? SessionEvents.NONE : events;
        this.createdNanos = nowNanos;
        this.parser = new HandshakeParser(config.maxHandshakeBytes(), config.maxHeaderCount());
    }

    public SessionState state() {
        return state;
    }

    public boolean isOpen() {
        return state == SessionState.OPEN;
    }

    /** Process-unique id, e.g. {@code c42} (also the handler's {@code Peer.id()}). */
    public String id() {
        return id;
    }

    /** The upgraded path, or null before the upgrade. */
    public String path() {
        return path;
    }

    /** The selected subprotocol, or null. */
    public String subprotocol() {
        return subprotocol;
    }

    /** Payload bytes held for a message in progress (0 when idle): for memory tests. */
    int reassemblyCapacity() {
        return assembler == null ? 0 : assembler.bufferedCapacity();
    }

    /** Whether a frame decoder (and message assembler) is held: for memory tests. */
    boolean holdsFrameDecoder() {
        return decoder != null;
    }

    /** Whether the handshake parser (and its line buffer) is still held: for memory tests. */
    boolean holdsHandshakeParser() {
        return parser != null;
    }

    /**
     * Consumes all of {@code in} (whatever one read returned). Ignored once CLOSED. Frame payloads
     * are unmasked in place, so the buffer must be writable; its content is garbage afterwards.
     */
    public void receive(ByteBuffer in, long nowNanos) {
        try {
            if (state == SessionState.CONNECTING && !handshake(in, nowNanos)) {
                return;
            }
            if ((state == SessionState.OPEN || state == SessionState.CLOSING) && in.hasRemaining()) {
                lastReceivedNanos = nowNanos;
                if (decoder == null) {
                    // Created with the first frame byte, not at the upgrade: a connection that stays
                    // idle after its handshake holds neither (about 170 bytes; docs/memory.md).
                    decoder = FrameDecoder.forServer(config.maxFrameBytes());
                    assembler = new MessageAssembler(config.maxMessageBytes(), inbound);
                }
                decoder.decode(in, assembler);
            }
        } catch (ProtocolException violation) {
            fail(violation.closeCode(), violation.getMessage());
        } finally {
            in.position(in.limit());
        }
    }

    /** The peer closed its side of TCP (EOF). */
    public void inputClosed(long nowNanos) {
        SessionState was = state;
        if (was == SessionState.CLOSED) {
            return;
        }
        toClosed();
        closeTransport(false);
        if (was != SessionState.CONNECTING) {
            reportClose(CloseCodes.ABNORMAL, "connection closed without a close frame");
        }
    }

    /** Checks the timeouts: handshake, close, idle, and sends keep-alive pings. Call it periodically. */
    public void tick(long nowNanos) {
        switch (state) {
            case CONNECTING -> {
                if (nowNanos - createdNanos >= config.handshakeTimeoutNanos()) {
                    events.timedOut("handshake");
                    toClosed();
                    closeTransport(true);
                }
            }
            case OPEN -> {
                long quiet = nowNanos - lastReceivedNanos;
                if (config.idleTimeoutNanos() > 0 && quiet >= config.idleTimeoutNanos()) {
                    events.timedOut("idle");
                    close(CloseCodes.GOING_AWAY, "idle timeout");
                    closeDeadlineNanos = nowNanos + config.closeTimeoutNanos();
                } else if (config.pingIntervalNanos() > 0 && quiet >= config.pingIntervalNanos()
                        && nowNanos - lastPingNanos >= config.pingIntervalNanos()) {
                    lastPingNanos = nowNanos;
                    sendControl(Opcode.PING, ByteBuffer.allocate(0));
                }
            }
            case CLOSING -> {
                if (closeDeadlineNanos == 0) {
                    closeDeadlineNanos = nowNanos + config.closeTimeoutNanos();
                } else if (nowNanos - closeDeadlineNanos >= 0) {
                    events.timedOut("close");
                    toClosed();
                    closeTransport(true);
                    reportClose(sentCloseCode, sentCloseReason);
                }
            }
            case CLOSED -> {
            }
        }
    }

    /** The socket is gone: fires the handler's onClose if it has not fired, frees everything. Idempotent. */
    public void transportClosed() {
        synchronized (lock) {
            state = SessionState.CLOSED;
            transportCloseRequested = true;
        }
        reportClose(CloseCodes.ABNORMAL, "connection lost");
        parser = null;
        decoder = null;
        if (assembler != null) {
            assembler.release();
        }
        handler = null;
    }

    /**
     * Starts the close handshake with {@code code} (any thread): sends a close frame and waits for
     * the peer's (CLOSING). Before the upgrade, drops the connection. No effect once closing.
     * {@code code} must be allowed on the wire (1000–1003, 1007–1011, 3000–4999), or 1005 for a
     * close frame without a code; the reason is cut to 123 bytes of UTF-8.
     */
    public void close(int code, String reason) {
        if (!CloseCodes.isValidOnWire(code) && code != CloseCodes.NO_STATUS) {
            throw new IllegalArgumentException("close code " + code + " may not be sent (RFC 6455 7.4)");
        }
        boolean abort = false;
        synchronized (lock) {
            if (state == SessionState.CONNECTING) {
                state = SessionState.CLOSED;
                abort = true;
            } else if (state == SessionState.OPEN) {
                sendCloseLocked(code, reason);
                state = SessionState.CLOSING;
            }
        }
        transport.wake();
        if (abort) {
            closeTransport(true);
        }
    }

    // ---- handshake ----

    /** Returns true when the session is upgraded and {@code in}'s remaining bytes are frames. */
    private boolean handshake(ByteBuffer in, long nowNanos) {
        switch (parser.parse(in)) {
            case NEED_MORE -> {
                return false;
            }
            case REJECTED -> {
                int status = parser.rejectStatus();
                String why = parser.rejectReason();
                parser = null;
                events.handshakeRejected(status, why);
                answer(HttpResponse.status(status, HttpResponse.reasonPhrase(status) + ": " + why));
                return false;
            }
            case COMPLETE -> {
            }
        }
        HttpRequestHead head = parser.head();
        parser = null;
        Handshake.Outcome outcome = Handshake.evaluate(head, config, p -> router.endpoint(p) != null);
        if (outcome instanceof Handshake.Outcome.Plain) {
            HttpResponse response;
            try {
                response = http.respond(head);
            } catch (RuntimeException e) {
                events.handlerFailed(e);
                response = HttpResponse.status(500, "internal error");
            }
            if (response == null) {
                response = HttpResponse.status(404, "not found: " + head.path());
            }
            events.httpServed(head.method(), head.target(), response.status());
            answer(response);
            return false;
        }
        if (outcome instanceof Handshake.Outcome.Reject reject) {
            events.handshakeRejected(reject.response().status(), reject.why());
            answer(reject.response());
            return false;
        }
        Handshake.Outcome.Upgrade upgrade = (Handshake.Outcome.Upgrade) outcome;
        Endpoint endpoint = router.endpoint(head.path());
        Handler opened;
        try {
            opened = endpoint.open(peer, head);
        } catch (RuntimeException e) {
            events.handlerFailed(e);
            answer(HttpResponse.status(500, "internal error"));
            return false;
        }
        synchronized (lock) {
            if (state != SessionState.CONNECTING) {
                return false; // closed from another thread meanwhile
            }
            transport.enqueue(upgrade.response());
            state = SessionState.OPEN;
        }
        transport.wake();
        handler = opened;
        path = head.path();
        subprotocol = upgrade.subprotocol();
        lastReceivedNanos = nowNanos;
        lastPingNanos = nowNanos;
        events.opened(path);
        try {
            handler.onOpen();
        } catch (RuntimeException e) {
            handlerFailed(e);
        }
        return state != SessionState.CLOSED;
    }

    /** Sends a non-101 answer and closes after it. */
    private void answer(HttpResponse response) {
        synchronized (lock) {
            if (state != SessionState.CONNECTING) {
                return;
            }
            transport.enqueue(response.encode());
            state = SessionState.CLOSED;
        }
        transport.wake();
        closeTransport(false);
    }

    // ---- frames in ----

    private final MessageSink inbound = new MessageSink() {
        @Override
        public void onMessage(boolean text, ByteBuffer payload) {
            if (state != SessionState.OPEN) {
                return; // §7.1.2: after our close, data is read but no longer delivered
            }
            try {
                handler.onMessage(new Message(text, payload));
            } catch (RuntimeException e) {
                handlerFailed(e);
            }
        }

        @Override
        public void onPing(ByteBuffer payload) {
            sendControl(Opcode.PONG, payload); // §5.5.2: a pong with the same payload
        }

        @Override
        public void onPong(ByteBuffer payload) {
            // §5.5.3: unsolicited pongs are allowed and need no answer; receiving it already counted as activity
        }

        @Override
        public void onCloseFrame(int code, String reason) {
            receivedCloseCode = code;
            receivedCloseReason = reason;
            decoder.halt(); // §5.5.1: nothing after a close frame is looked at
            synchronized (lock) {
                if (!closeSent) {
                    sendCloseLocked(CloseCodes.NORMAL, "");
                }
                state = SessionState.CLOSED;
            }
            transport.wake();
            closeTransport(false);
            reportClose(code, reason);
        }
    };

    /** §7.1.7: fail the connection: send a close frame with {@code code} if none was sent, then close TCP. */
    private void fail(int code, String why) {
        events.protocolError(code, why);
        if (decoder != null) {
            decoder.halt();
        }
        synchronized (lock) {
            if (state == SessionState.OPEN && !closeSent) {
                sendCloseLocked(code, why);
            }
            state = SessionState.CLOSED;
        }
        transport.wake();
        closeTransport(false);
        reportClose(code, why);
    }

    private void handlerFailed(RuntimeException e) {
        events.handlerFailed(e);
        fail(CloseCodes.INTERNAL_ERROR, "internal error");
    }

    // ---- frames out ----

    private void sendControl(int opcode, ByteBuffer payload) {
        synchronized (lock) {
            if (state == SessionState.OPEN) {
                sendLocked(FrameEncoder.serverFrame(opcode, true, payload));
            }
        }
        transport.wake();
    }

    private void sendCloseLocked(int code, String reason) {
        closeSent = true;
        sentCloseCode = code;
        sentCloseReason = reason == null ? "" : reason;
        transport.enqueue(FrameEncoder.serverClose(code, reason));
    }

    /**
     * Queues under the lock (the caller wakes the transport after releasing it); a refused send
     * means the transport is closing us as a slow consumer.
     */
    private boolean sendLocked(ByteBuffer frame) {
        if (transport.enqueue(frame)) {
            return true;
        }
        // The outbox queued its own close 1008 ("slow consumer"): treat it as ours (CLOSING).
        closeSent = true;
        sentCloseCode = CloseCodes.POLICY_VIOLATION;
        sentCloseReason = "slow consumer";
        state = SessionState.CLOSING;
        return false;
    }

    private void toClosed() {
        synchronized (lock) {
            state = SessionState.CLOSED;
        }
    }

    private void closeTransport(boolean abort) {
        synchronized (lock) {
            if (transportCloseRequested) {
                return;
            }
            transportCloseRequested = true;
        }
        if (abort) {
            transport.abort();
        } else {
            transport.closeAfterFlush();
        }
    }

    /** Fires the handler's onClose once (only if it was opened) and releases the message buffer. */
    private void reportClose(int fallbackCode, String fallbackReason) {
        if (closeReported || handler == null) {
            return;
        }
        closeReported = true;
        int code = fallbackCode;
        String reason = fallbackReason;
        synchronized (lock) {
            if (receivedCloseCode >= 0) {
                code = receivedCloseCode;
                reason = receivedCloseReason;
            } else if (closeSent) {
                code = sentCloseCode;
                reason = sentCloseReason;
            }
        }
        if (assembler != null) {
            assembler.release();
        }
        events.closed(code, reason);
        try {
            handler.onClose(code, reason);
        } catch (RuntimeException e) {
            events.handlerFailed(e);
        }
    }

    private final Peer peer = new Peer() {
        @Override
        public String id() {
            return id;
        }

        @Override
        public boolean send(PreparedMessage message) {
            boolean sent;
            synchronized (lock) {
                sent = state == SessionState.OPEN && sendLocked(message.bytes());
            }
            transport.wake(); // outside the lock: other members' broadcasts need it meanwhile
            return sent;
        }

        @Override
        public void close(int code, String reason) {
            Session.this.close(code, reason);
        }

        @Override
        public String remoteAddress() {
            return transport.remoteAddress();
        }

        @Override
        public String toString() {
            return id;
        }
    };
}
