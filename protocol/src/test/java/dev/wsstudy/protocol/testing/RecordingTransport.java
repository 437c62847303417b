package dev.wsstudy.protocol.testing;

import dev.wsstudy.protocol.Transport;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** A transport that records what a session writes and how it closes. Thread-safe. */
public final class RecordingTransport implements Transport {
    private final List<ByteBuffer> sent = new ArrayList<>();
    private boolean refuseSends;
    private int closeAfterFlushCalls;
    private int abortCalls;

    @Override
    public synchronized boolean send(ByteBuffer bytes) {
        if (refuseSends) {
            return false;
        }
        ByteBuffer copy = ByteBuffer.allocate(bytes.remaining());
        copy.put(bytes.duplicate()).flip();
        sent.add(copy);
        return true;
    }

    @Override
    public synchronized void closeAfterFlush() {
        closeAfterFlushCalls++;
    }

    @Override
    public synchronized void abort() {
        abortCalls++;
    }

    @Override
    public String remoteAddress() {
        return "127.0.0.1:40000";
    }

    /** From now on, sends are refused as by a full outbox. */
    public synchronized void refuseSends() {
        refuseSends = true;
    }

    /** Everything sent so far, concatenated. */
    public synchronized byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuffer b : sent) {
            out.write(b.array(), b.arrayOffset(), b.remaining());
        }
        return out.toByteArray();
    }

    public synchronized int sendCount() {
        return sent.size();
    }

    public synchronized int closeAfterFlushCalls() {
        return closeAfterFlushCalls;
    }

    public synchronized int abortCalls() {
        return abortCalls;
    }

    /** Whether the transport was told to close in either way. */
    public synchronized boolean closed() {
        return closeAfterFlushCalls + abortCalls > 0;
    }
}
