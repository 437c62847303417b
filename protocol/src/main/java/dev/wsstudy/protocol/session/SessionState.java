package dev.wsstudy.protocol.session;

/** The life of a connection (RFC 6455 §4, §7). */
public enum SessionState {
    /** Reading the HTTP request head. */
    CONNECTING,
    /** Upgraded: messages flow both ways. */
    OPEN,
    /** The server sent a close frame and waits for the peer's (RFC 6455 §7.1.2). */
    CLOSING,
    /** Over: the transport was told to close; further input is ignored. */
    CLOSED
}
