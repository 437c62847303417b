package dev.wsstudy.app.echo;

import dev.wsstudy.app.Endpoint;
import dev.wsstudy.app.Handler;
import dev.wsstudy.app.Message;
import dev.wsstudy.app.Peer;
import dev.wsstudy.app.PreparedMessage;
import dev.wsstudy.protocol.handshake.HttpRequestHead;

/**
 * {@code /echo}: every text or binary message goes back verbatim, same kind, as one unfragmented
 * frame (what any third-party echo server does, so the load generator can compare them).
 */
public final class EchoEndpoint implements Endpoint {

    @Override
    public Handler open(Peer peer, HttpRequestHead request) {
        return new Handler() {
            @Override
            public void onOpen() {
            }

            @Override
            public void onMessage(Message message) {
                peer.send(PreparedMessage.of(message.text(), message.payload()));
            }

            @Override
            public void onClose(int code, String reason) {
            }
        };
    }
}
