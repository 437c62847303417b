package dev.wsstudy.microbench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real loopback TCP connection whose far end another thread reads as fast as it can, so writes
 * to {@link #channel} pay what a server's writes pay (a system call each, the TCP stack, the copy
 * into the kernel) and never wait long for a slow reader. The writing end is blocking with
 * {@code TCP_NODELAY}, as the servers configure their sockets.
 */
public final class LoopbackSink implements AutoCloseable {
    /** The writing end. */
    public final SocketChannel channel;
    private final ServerSocketChannel server;
    private final SocketChannel readEnd;
    private final Thread drainer;
    private final AtomicLong drained = new AtomicLong();

    private LoopbackSink(ServerSocketChannel server, SocketChannel channel, SocketChannel readEnd) {
        this.server = server;
        this.channel = channel;
        this.readEnd = readEnd;
        this.drainer = new Thread(this::drain, "loopback-drainer");
        drainer.setDaemon(true);
        drainer.start();
    }

    public static LoopbackSink open() throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
        SocketChannel out = SocketChannel.open(server.getLocalAddress());
        out.setOption(StandardSocketOptions.TCP_NODELAY, true);
        SocketChannel in = server.accept();
        return new LoopbackSink(server, out, in);
    }

    private void drain() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
        try {
            int n;
            while ((n = readEnd.read(buffer)) >= 0) {
                drained.addAndGet(n);
                buffer.clear();
            }
        } catch (IOException closed) {
            // close() ends the drainer by closing the read end
        }
    }

    /** Bytes the far end has read so far. */
    public long drainedBytes() {
        return drained.get();
    }

    /** Waits until the far end has read {@code bytes} in total; false on timeout. */
    public boolean awaitDrained(long bytes, long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (drained.get() < bytes) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(1);
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        channel.close();
        readEnd.close();
        server.close();
        try {
            drainer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
