package dev.wsstudy.server.core;

/** {@link ServerContractTest} against {@link BlockingServer} on platform threads (threaded-server). */
class PlatformThreadServerTest extends ServerContractTest {

    @Override
    protected String kind() {
        return "threaded";
    }

    @Override
    protected WebSocketServer create(ServerContext ctx) {
        return new BlockingServer(ctx, Thread.ofPlatform().name("conn-", 0).factory());
    }
}
