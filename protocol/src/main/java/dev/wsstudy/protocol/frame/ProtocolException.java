package dev.wsstudy.protocol.frame;

/**
 * A violation that fails the WebSocket connection (RFC 6455 §7.1.7), carrying the close code to
 * send (1002, 1007, 1009, ...). The one exit for every rule check of the decoder, the message
 * assembler and the close-payload parser; the session catches it in one place.
 *
 * <p>No stack trace is recorded: the message and code say everything, and a peer that sends
 * garbage on purpose should not make the server walk stacks.
 */
public final class ProtocolException extends RuntimeException {
    private final int closeCode;

    public ProtocolException(int closeCode, String message) {
        super(message, null, false, false);
        this.closeCode = closeCode;
    }

    public int closeCode() {
        return closeCode;
    }
}
