package dev.wsstudy.protocol.session;

import java.nio.ByteBuffer;

/** What a {@link MessageAssembler} delivers: whole messages and control frames, checked. */
interface MessageSink {

    /** A complete data message; the payload is valid only during the call. */
    void onMessage(boolean text, ByteBuffer payload);

    void onPing(ByteBuffer payload);

    void onPong(ByteBuffer payload);

    /** A valid close frame; {@code code} is 1005 when it carried none. */
    void onCloseFrame(int code, String reason);
}
