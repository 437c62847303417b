package dev.wsstudy.protocol.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsstudy.app.AppConfig;
import dev.wsstudy.app.Router;
import dev.wsstudy.protocol.ProtocolConfig;
import dev.wsstudy.protocol.testing.Client;
import dev.wsstudy.protocol.testing.RecordingTransport;
import dev.wsstudy.protocol.testing.ServerOutput;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void echoRoundTripAndCloseHandshake() {
        RecordingTransport t = new RecordingTransport();
        Session s = new Session(ProtocolConfig.defaults(), Router.standard(AppConfig.defaults()), null, t, 0);
        s.receive(ByteBuffer.wrap(Client.concat(Client.upgrade("/echo"), Client.text("hello"), Client.close(1000, "bye"))), 1);
        ServerOutput out = ServerOutput.parse(t.bytes());
        assertThat(out.status()).isEqualTo(101);
        assertThat(out.head()).contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        assertThat(out.frames()).hasSize(2);
        assertThat(out.frames().get(0).text()).isEqualTo("hello");
        assertThat(out.frames().get(1).closeCode()).isEqualTo(1000);
        assertThat(s.state()).isEqualTo(SessionState.CLOSED);
        assertThat(t.closeAfterFlushCalls()).isEqualTo(1);
    }
}
