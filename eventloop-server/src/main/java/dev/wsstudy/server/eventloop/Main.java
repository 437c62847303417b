package dev.wsstudy.server.eventloop;

import dev.wsstudy.server.core.ServerLifecycle;

/** {@code java -jar eventloop-server.jar [options]}: one thread, one Selector (see {@link EventLoopServer}). */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        ServerLifecycle.launch("eventloop", args, EventLoopServer::new);
    }
}
