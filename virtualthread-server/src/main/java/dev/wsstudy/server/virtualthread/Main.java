package dev.wsstudy.server.virtualthread;

import dev.wsstudy.server.core.BlockingServer;
import dev.wsstudy.server.core.ServerLifecycle;

/**
 * {@code java -jar virtualthread-server.jar [options]}: {@link BlockingServer} with a reader and
 * (while there is output) a writer <b>virtual</b> thread per connection, over the same blocking sockets (never a Selector
 * inside a virtual thread: the JDK parks a virtual thread blocked in a socket read and its poller
 * wakes it). This line is the only difference from threaded-server.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        ServerLifecycle.launch("virtualthread", args,
                ctx -> new BlockingServer(ctx, Thread.ofVirtual().name("conn-", 0).factory()));
    }
}
