package dev.wsstudy.app;

import dev.wsstudy.app.chat.ChatEndpoint;
import dev.wsstudy.app.chat.RoomRegistry;
import dev.wsstudy.app.echo.EchoEndpoint;
import dev.wsstudy.protocol.handshake.HttpRequestHead;
import java.util.Map;

/**
 * Path → WebSocket {@link Endpoint}. {@link #standard} builds the project's two applications,
 * {@code /echo} and {@code /chat}, with the configured per-message work in front of both.
 * Immutable and shared by all sessions of a server.
 */
public final class Router {
    private final Map<String, Endpoint> endpoints;
    private final RoomRegistry rooms;

    public Router(Map<String, Endpoint> endpoints, RoomRegistry rooms) {
        this.endpoints = Map.copyOf(endpoints);
        this.rooms = rooms;
    }

    /** {@code /echo} and {@code /chat} (with a fresh {@link RoomRegistry} on {@code config.bus()}). */
    public static Router standard(AppConfig config) {
        RoomRegistry rooms = new RoomRegistry(config.bus());
        return new Router(Map.of(
                "/echo", withWork(new EchoEndpoint(), config.work()),
                "/chat", withWork(new ChatEndpoint(rooms), config.work())), rooms);
    }

    /** The endpoint at {@code path} (no query), or null. */
    public Endpoint endpoint(String path) {
        return endpoints.get(path);
    }

    /** The chat rooms' registry (for /stats and cluster delivery); null when this router has none. */
    public RoomRegistry rooms() {
        return rooms;
    }

    /** Runs {@code work} once before each received data message reaches the endpoint's handler. */
    public static Endpoint withWork(Endpoint endpoint, MessageWork work) {
        if (work == MessageWork.NONE) {
            return endpoint;
        }
        return (Peer peer, HttpRequestHead request) -> {
            Handler inner = endpoint.open(peer, request);
            return new Handler() {
                @Override
                public void onOpen() {
                    inner.onOpen();
                }

                @Override
                public void onMessage(Message message) {
                    work.perform();
                    inner.onMessage(message);
                }

                @Override
                public void onClose(int code, String reason) {
                    inner.onClose(code, reason);
                }
            };
        };
    }
}
