package dev.wsstudy.app;

/**
 * Simulated per-message work (study option): burn CPU or block as a database call would. Called
 * once per received data message, on the connection's reader thread, before the application
 * handles it. This is where the threading models differ: a blocking call stalls an event loop.
 */
@FunctionalInterface
public interface MessageWork {

    void perform();

    MessageWork NONE = () -> { };
}
