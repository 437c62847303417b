package dev.wsstudy.servertests.support;

import static dev.wsstudy.servertests.support.WsFrames.BINARY;
import static dev.wsstudy.servertests.support.WsFrames.CLOSE;
import static dev.wsstudy.servertests.support.WsFrames.PING;
import static dev.wsstudy.servertests.support.WsFrames.TEXT;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A WebSocket client on a plain blocking socket that writes exactly the bytes a test asks for. One
 * thread may read while another writes (the socket's streams allow that); writes are synchronized so
 * frames from two writer threads never interleave.
 */
public final class RawWs implements Closeable {
    public final Socket socket;
    public final Http.Response handshake;
    private final InputStream in;
    private final OutputStream out;

    private RawWs(Socket socket, InputStream in, Http.Response handshake) throws IOException {
        this.socket = socket;
        this.in = in;
        this.out = socket.getOutputStream();
        this.handshake = handshake;
    }

    /** Connects and upgrades on {@code path}, asserting {@code 101} and the right accept key. */
    public static RawWs open(int port, String path) throws IOException {
        return open(Http.connect(port), port, path);
    }

    /** Upgrades an already connected socket (so tests can set socket options first). */
    public static RawWs open(Socket socket, int port, String path) throws IOException {
        String key = WsFrames.newKey();
        String request = "GET " + path + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        Http.Response response = Http.readHead(in);
        if (response.status() != 101) {
            socket.close();
            throw new IOException("upgrade of " + path + " answered " + response);
        }
        String accept = response.header("sec-websocket-accept");
        if (!WsFrames.acceptFor(key).equals(accept)) {
            socket.close();
            throw new IOException("wrong Sec-WebSocket-Accept " + accept + " for key " + key);
        }
        return new RawWs(socket, in, response);
    }

    public synchronized void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    public void sendText(String text) throws IOException {
        send(WsFrames.frame(TEXT, text.getBytes(StandardCharsets.UTF_8)));
    }

    public void sendBinary(byte[] payload) throws IOException {
        send(WsFrames.frame(BINARY, payload));
    }

    public void sendPing(byte[] payload) throws IOException {
        send(WsFrames.frame(PING, payload));
    }

    public void sendClose(int code, String reason) throws IOException {
        send(WsFrames.frame(CLOSE, WsFrames.closePayload(code, reason)));
    }

    /** The next frame; fails on EOF or when nothing arrives within the read timeout. */
    public WsFrames.Frame read() throws IOException {
        return WsFrames.read(in);
    }

    /** The next frame, which must be a text frame; returns its text. */
    public String readText() throws IOException {
        WsFrames.Frame f = read();
        if (f.opcode() != TEXT || !f.fin()) throw new IOException("expected a whole text frame, got " + f);
        return f.text();
    }

    /**
     * Reads until the server's close frame and returns it, skipping data frames the server sent
     * before it. Fails if the connection ends (EOF or reset) or nothing arrives in time.
     */
    public WsFrames.Frame readUntilClose() throws IOException {
        List<WsFrames.Frame> skipped = new ArrayList<>();
        while (true) {
            WsFrames.Frame f;
            try {
                f = read();
            } catch (IOException e) {
                throw new IOException("no close frame (after " + skipped.size() + " other frames): " + e, e);
            }
            if (f.opcode() == CLOSE) return f;
            if (skipped.size() < 100_000) skipped.add(f);
        }
    }

    /** Expects the server's close frame with {@code code}, answers it, and expects the server to close TCP. */
    public WsFrames.Frame expectClose(int code) throws IOException {
        WsFrames.Frame close = readUntilClose();
        if (close.closeCode() != code) throw new AssertionError("expected close " + code + ", got " + close);
        try {
            sendClose(code, ""); // complete the closing handshake (RFC 6455 §5.5.1)
        } catch (IOException alreadyClosed) {
            // a server that failed the connection may already have closed TCP: that is allowed (§7.1.7)
        }
        expectEof(Http.PATIENCE);
        return close;
    }

    /**
     * The client-initiated closing handshake: sends close {@code code}, skips data frames still in
     * flight, expects the server's close answer with code 1000 (docs/wire-protocol.md), then the
     * server's FIN, and then closes this side too (RFC 6455 §7.1.1: the server closes TCP first).
     */
    public void closeHandshake(int code) throws IOException {
        sendClose(code, "");
        WsFrames.Frame answer = readUntilClose();
        if (answer.closeCode() != 1000) throw new AssertionError("close " + code + " answered with " + answer);
        expectEof(Http.PATIENCE);
        close();
    }

    /** Expects the server to close the TCP connection within {@code timeout}, discarding what comes before. */
    public void expectEof(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] sink = new byte[8192];
        try {
            while (in.read(sink) >= 0) {
                if (System.nanoTime() > deadline) throw new AssertionError("server kept sending, never closed TCP");
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("server did not close the TCP connection within " + timeout);
        } catch (SocketException reset) {
            // reset counts as closed
        }
    }

    /** True when the server ended the connection (EOF, reset) rather than sending a frame. */
    public boolean readsEof() throws IOException {
        try {
            WsFrames.read(in);
            return false;
        } catch (EOFException | SocketException e) {
            return true;
        }
    }

    public void readTimeout(Duration timeout) throws SocketException {
        socket.setSoTimeout((int) timeout.toMillis());
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
