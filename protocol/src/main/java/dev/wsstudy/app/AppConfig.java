package dev.wsstudy.app;

import java.util.Objects;

/**
 * What the servers plug into the applications.
 *
 * @param work per-message simulated work (default none)
 * @param bus  the chat rooms' cluster bus (default local only)
 */
public record AppConfig(MessageWork work, RoomBus bus) {

    public AppConfig {
        Objects.requireNonNull(work, "work");
        Objects.requireNonNull(bus, "bus");
    }

    public static AppConfig defaults() {
        return new AppConfig(MessageWork.NONE, RoomBus.LOCAL);
    }

    public AppConfig withWork(MessageWork work) {
        return new AppConfig(work, bus);
    }

    public AppConfig withBus(RoomBus bus) {
        return new AppConfig(work, bus);
    }
}
