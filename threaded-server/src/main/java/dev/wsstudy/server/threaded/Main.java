package dev.wsstudy.server.threaded;

import dev.wsstudy.server.core.BlockingServer;
import dev.wsstudy.server.core.ServerLifecycle;

/**
 * {@code java -jar threaded-server.jar [options]}: {@link BlockingServer} with a reader and (while
 * there is output) a writer <b>platform</b> thread per connection. This line is the only difference from virtualthread-server.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        ServerLifecycle.launch("threaded", args,
                ctx -> new BlockingServer(ctx, Thread.ofPlatform().name("conn-", 0).factory()));
    }
}
