package dev.wsstudy.server.core;

/** {@link ServerContractTest} against {@link BlockingServer} on virtual threads (virtualthread-server). */
class VirtualThreadServerTest extends ServerContractTest {

    @Override
    protected String kind() {
        return "virtualthread";
    }

    @Override
    protected WebSocketServer create(ServerContext ctx) {
        return new BlockingServer(ctx, Thread.ofVirtual().name("conn-", 0).factory());
    }
}
