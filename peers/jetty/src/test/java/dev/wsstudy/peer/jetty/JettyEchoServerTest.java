package dev.wsstudy.peer.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The peer contract (peers/README.md) over a real socket. */
class JettyEchoServerTest {

    @Test
    void echoesTextAsTextAndBinaryAsBinaryAndAnswersHealth() throws Exception {
        JettyEchoServer server = new JettyEchoServer();
        new CommandLine(server).parseArgs("--port", "0");
        server.start();
        try {
            String base = "127.0.0.1:" + server.boundPort();
            assertThat(EchoClient.healthStatus("http://" + base)).isEqualTo(200);
            byte[] payload = new byte[64];
            for (int i = 0; i < payload.length; i++) {
                payload[i] = (byte) (i * 7);
            }
            byte[] large = new byte[1 << 20];
            large[large.length - 1] = 42;
            try (EchoClient c = new EchoClient("ws://" + base + "/echo")) {
                assertThat(c.echoText("hello, peer")).isEqualTo("text:hello, peer");
                assertThat(c.echoBinary(payload)).isEqualTo("binary:" + EchoClient.hex(payload));
                assertThat(c.echoBinary(large)).isEqualTo("binary:" + EchoClient.hex(large));
            }
        } finally {
            server.stop();
        }
    }
}
