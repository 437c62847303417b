package dev.wsstudy.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsstudy.protocol.frame.Opcode;
import dev.wsstudy.protocol.testing.Client;
import dev.wsstudy.protocol.testing.Harness;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RouterTest {

    @Test
    void standardRouterServesEchoAndChat() {
        Router router = Router.standard(AppConfig.defaults());
        assertThat(router.endpoint("/echo")).isNotNull();
        assertThat(router.endpoint("/chat")).isNotNull();
        assertThat(router.endpoint("/other")).isNull();
        assertThat(router.rooms()).isNotNull();
    }

    @Test
    void messageWorkRunsOncePerDataMessageAndNotForControlFrames() {
        AtomicInteger work = new AtomicInteger();
        Endpoint echo = Router.withWork(new dev.wsstudy.app.echo.EchoEndpoint(), work::incrementAndGet);
        Harness h = new Harness(dev.wsstudy.protocol.ProtocolConfig.defaults(), null, Map.of("/worked", echo));
        h.feed(Client.upgrade("/worked"), Client.text("a"), Client.frame(Opcode.PING, true, new byte[0]),
                Client.frame(Opcode.BINARY, false, new byte[3]), Client.frame(Opcode.CONTINUATION, true, new byte[3]));
        assertThat(work.get()).isEqualTo(2);
        assertThat(h.output().frames()).extracting(f -> f.opcode()).containsExactly(Opcode.TEXT, Opcode.PONG, Opcode.BINARY);
    }
}
