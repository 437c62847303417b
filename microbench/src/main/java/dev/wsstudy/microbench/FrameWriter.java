package dev.wsstudy.microbench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * Three ways to put a connection's queued frames on a blocking channel, each returning how many
 * {@code write} calls (system calls) it made. The frames are consumed (positions moved to their
 * limits), as an outbox's queued views are.
 */
public final class FrameWriter {
    private FrameWriter() {
    }

    /** One write per frame: what a writer does without coalescing ({@code --no-coalesce}). */
    public static int separateWrites(WritableByteChannel ch, ByteBuffer[] frames) throws IOException {
        int writes = 0;
        for (ByteBuffer f : frames) {
            while (f.hasRemaining()) {
                ch.write(f);
                writes++;
            }
        }
        return writes;
    }

    /** One gathering write ({@code writev}) of all frames: what the servers do by default. */
    public static int gatheringWrite(GatheringByteChannel ch, ByteBuffer[] frames) throws IOException {
        long left = 0;
        for (ByteBuffer f : frames) {
            left += f.remaining();
        }
        int writes = 0;
        while (left > 0) {
            left -= ch.write(frames);
            writes++;
        }
        return writes;
    }

    /**
     * The seed's write buffer: copy the frames into one per-connection direct buffer and write it
     * whenever it is full and at the end: one copy in user space, then one write per buffer-full.
     */
    public static int copyIntoWriteBuffer(WritableByteChannel ch, ByteBuffer[] frames, ByteBuffer writeBuffer)
            throws IOException {
        int writes = 0;
        writeBuffer.clear();
        for (ByteBuffer f : frames) {
            while (f.hasRemaining()) {
                if (!writeBuffer.hasRemaining()) {
                    writes += flush(ch, writeBuffer);
                }
                int n = Math.min(f.remaining(), writeBuffer.remaining());
                writeBuffer.put(writeBuffer.position(), f, f.position(), n);
                writeBuffer.position(writeBuffer.position() + n);
                f.position(f.position() + n);
            }
        }
        return writes + flush(ch, writeBuffer);
    }

    private static int flush(WritableByteChannel ch, ByteBuffer writeBuffer) throws IOException {
        writeBuffer.flip();
        int writes = 0;
        while (writeBuffer.hasRemaining()) {
            ch.write(writeBuffer);
            writes++;
        }
        writeBuffer.clear();
        return writes;
    }
}
