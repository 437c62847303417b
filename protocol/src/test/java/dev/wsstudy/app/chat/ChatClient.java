package dev.wsstudy.app.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsstudy.app.Router;
import dev.wsstudy.protocol.ProtocolConfig;
import dev.wsstudy.protocol.frame.Opcode;
import dev.wsstudy.protocol.session.Session;
import dev.wsstudy.protocol.session.SessionState;
import dev.wsstudy.protocol.testing.Client;
import dev.wsstudy.protocol.testing.RecordingTransport;
import dev.wsstudy.protocol.testing.ServerOutput;
import java.nio.ByteBuffer;
import java.util.List;

/** One chat connection driven through a real session on the standard router. */
final class ChatClient {
    final RecordingTransport transport = new RecordingTransport();
    final Session session;
    private int seen;

    ChatClient(Router router) {
        session = new Session(ProtocolConfig.defaults(), router, null, transport, 0);
        session.receive(ByteBuffer.wrap(Client.upgrade("/chat")), 0);
        assertThat(ServerOutput.parse(transport.bytes()).status()).isEqualTo(101);
    }

    ChatClient send(String json) {
        session.receive(ByteBuffer.wrap(Client.text(json)), 0);
        return this;
    }

    ChatClient sendBinary(byte[] payload) {
        session.receive(ByteBuffer.wrap(Client.binary(payload)), 0);
        return this;
    }

    /** Text frames received since the last call. */
    List<String> received() {
        List<ServerOutput.Frame> frames = ServerOutput.parse(transport.bytes()).frames();
        List<String> texts = frames.subList(seen, frames.size()).stream()
                .filter(f -> f.opcode() == Opcode.TEXT).map(ServerOutput.Frame::text).toList();
        seen = frames.size();
        return texts;
    }

    /** The close code the server sent, or -1. */
    int closeCode() {
        return ServerOutput.parse(transport.bytes()).frames().stream()
                .filter(f -> f.opcode() == Opcode.CLOSE).mapToInt(ServerOutput.Frame::closeCode).findFirst().orElse(-1);
    }

    boolean isOpen() {
        return session.state() == SessionState.OPEN;
    }

    void disconnect() {
        session.transportClosed();
    }
}
