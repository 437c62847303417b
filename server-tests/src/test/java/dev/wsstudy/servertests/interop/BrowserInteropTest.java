package dev.wsstudy.servertests.interop;

import static dev.wsstudy.servertests.support.Http.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsstudy.servertests.support.Chromium;
import dev.wsstudy.servertests.support.JdkWs;
import dev.wsstudy.servertests.support.ServerKind;
import dev.wsstudy.servertests.support.ServerProcess;
import dev.wsstudy.servertests.support.Stats;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A real browser: headless Chromium opens the demo page ({@code GET /}), joins a room through the
 * page's own inputs and buttons (element ids documented at the top of demo.html), and chats with a
 * JDK {@code java.net.http.WebSocket} client; the test reads what the page shows.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.wsstudy.servertests.support.ServerKind#underTest")
class BrowserInteropTest {
    static final Duration WAIT = PATIENCE;

    @Parameter
    ServerKind kind;
    static Chromium browser;
    static ServerProcess server;
    static long baseline;

    @BeforeAll
    static void launchBrowser() throws Exception {
        browser = Chromium.launch();
    }

    @AfterAll
    static void closeBrowser() throws Exception {
        if (browser != null) browser.close();
    }

    @BeforeParameterizedClassInvocation
    static void start(ServerKind kind) throws Exception {
        // Chromium preconnects spare sockets that stay silent; a short handshake timeout drops them
        // quickly, so the leak check after each test does not wait the default 10 s.
        server = ServerProcess.start(kind, "--log-connections", "--handshake-timeout-ms", "1000");
        baseline = server.idleConnections();
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        server.close();
    }

    static String js(String s) throws Exception {
        return Stats.JSON.writeValueAsString(s);
    }

    /** The parsed data-json of the page's last received message of {@code type}, or null. */
    static JsonNode lastShown(String type) throws Exception {
        JsonNode raw = browser.eval("(() => { const li = [...document.querySelectorAll('#log li.msg." + type
                + "')].pop(); return li ? li.dataset.json : null; })()");
        return raw.isNull() || raw.isMissingNode() ? null : Stats.JSON.readTree(raw.asText());
    }

    @Test
    void chromiumDemoPageChatsWithJdkClient() throws Exception {
        browser.navigate("http://127.0.0.1:" + server.port() + "/");
        browser.eval("document.getElementById('clientId').value = 'chromium'; "
                + "document.getElementById('roomId').value = 'browser-room'; "
                + "document.getElementById('connect').click(); true");
        browser.await("document.querySelector('#log li.msg.welcome')", WAIT, "welcome");
        assertThat(browser.eval("document.getElementById('status').dataset.state").asText()).isEqualTo("open");
        assertThat(lastShown("welcome").path("members").asInt()).isEqualTo(1);

        try (JdkWs jdk = JdkWs.connect(server.port(), "/chat")) {
            jdk.ws.sendText("{\"type\":\"init\",\"clientId\":\"jdk-peer\",\"roomId\":\"browser-room\"}", true).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertThat(Stats.JSON.readTree(jdk.nextText()).path("members").asInt()).isEqualTo(2);
            browser.await("document.querySelector('#log li.msg.join')", WAIT, "join of jdk-peer shown");
            assertThat(lastShown("join").path("clientId").asText()).isEqualTo("jdk-peer");

            // Browser → JDK, typed into the page and sent with its button.
            browser.eval("document.getElementById('text').value = 'hello from chromium ✓'; "
                    + "document.getElementById('send').click(); true");
            JsonNode atJdk = Stats.JSON.readTree(jdk.nextText());
            assertThat(atJdk.path("type").asText()).isEqualTo("chat");
            assertThat(atJdk.path("from").asText()).isEqualTo("chromium");
            assertThat(atJdk.path("roomId").asText()).isEqualTo("browser-room");
            assertThat(atJdk.path("body").asText()).isEqualTo("hello from chromium ✓");

            // JDK → browser.
            jdk.ws.sendText("{\"type\":\"chat\",\"body\":\"hello from the JDK\"}", true).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            browser.await("[...document.querySelectorAll('#log li.msg.chat')].some(li => JSON.parse(li.dataset.json).from === 'jdk-peer')",
                    WAIT, "chat from jdk-peer shown");
            JsonNode atBrowser = lastShown("chat");
            assertThat(atBrowser.path("from").asText()).isEqualTo("jdk-peer");
            assertThat(atBrowser.path("body").asText()).isEqualTo("hello from the JDK");
            assertThat(browser.eval("document.getElementById('log').innerText").asText()).contains("jdk-peer: hello from the JDK");

            // The page's own disconnect: a normal close the browser reports as code 1000.
            browser.eval("document.getElementById('disconnect').click(); true");
            browser.await("document.getElementById('status').dataset.state === 'closed'", WAIT, "closed");
            assertThat(browser.eval("document.getElementById('status').dataset.code").asText()).isEqualTo("1000");

            jdk.ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
        Stats.awaitNothingLeaked(server, baseline);
    }

    @Test
    void browserSeesPolicyCloseCodeForDuplicateClientId() throws Exception {
        try (JdkWs jdk = JdkWs.connect(server.port(), "/chat")) {
            jdk.ws.sendText("{\"type\":\"init\",\"clientId\":\"taken\",\"roomId\":\"r\"}", true).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertThat(Stats.JSON.readTree(jdk.nextText()).path("type").asText()).isEqualTo("welcome");

            browser.navigate("http://127.0.0.1:" + server.port() + "/?clientId=taken&roomId=r&autoconnect=1");
            browser.await("document.getElementById('status').dataset.state === 'closed'", WAIT, "closed by the server");
            assertThat(browser.eval("document.getElementById('status').dataset.code").asText()).isEqualTo("1008");
            assertThat(lastShown("error").path("code").asText()).isEqualTo("duplicate_client_id");

            jdk.ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
        Stats.awaitNothingLeaked(server, baseline);
    }
}
