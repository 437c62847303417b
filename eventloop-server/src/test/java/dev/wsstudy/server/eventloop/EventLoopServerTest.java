package dev.wsstudy.server.eventloop;

import dev.wsstudy.server.core.ServerContext;
import dev.wsstudy.server.core.ServerContractTest;
import dev.wsstudy.server.core.WebSocketServer;

/** {@link ServerContractTest} against the event loop. */
class EventLoopServerTest extends ServerContractTest {

    @Override
    protected String kind() {
        return "eventloop";
    }

    @Override
    protected WebSocketServer create(ServerContext ctx) {
        return new EventLoopServer(ctx);
    }
}
