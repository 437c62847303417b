package dev.wsstudy.servertests.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsstudy.servertests.support.ChatClient;
import dev.wsstudy.servertests.support.RawWs;
import dev.wsstudy.servertests.support.ServerKind;
import dev.wsstudy.servertests.support.ServerProcess;
import dev.wsstudy.servertests.support.Stats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import jdk.jfr.EventType;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/**
 * Issue 3: "a diagnostic run with JFR's {@code jdk.VirtualThreadPinned} event on must show no
 * pinning in steady state". The virtual-thread server is warmed up first (class loading and
 * initialization may legitimately pin once), then recorded with threshold 0 ms (every pinning,
 * however short) under echo and chat load, then the recording is read with the JDK's {@code jfr}.
 */
class VirtualThreadPinningTest {

    @Test
    void virtualThreadServerDoesNotPinInSteadyState() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "jfr"));
        Path settings = dir.resolve("pinning.jfc");
        try (var in = VirtualThreadPinningTest.class.getResourceAsStream("/pinning.jfc")) {
            Files.write(settings, in.readAllBytes());
        }
        Path recording = dir.resolve("virtualthread-pinning.jfr").toAbsolutePath();
        Files.deleteIfExists(recording);
        try (ServerProcess server = ServerProcess.start(ServerKind.VIRTUALTHREAD)) {
            load(server, "warm");
            run(ServerProcess.jdkTool("jcmd").toString(), "" + server.pid(), "JFR.start", "name=pinning",
                    "settings=" + settings.toAbsolutePath(), "filename=" + recording);
            load(server, "steady");
            run(ServerProcess.jdkTool("jcmd").toString(), "" + server.pid(), "JFR.stop", "name=pinning");
        }
        assertThat(recording).exists();
        assertThat(activeSettings(recording, "jdk.VirtualThreadPinned"))
                .as("the recording had the pinning event on, for every duration")
                .containsEntry("enabled", "true").containsEntry("threshold", "0 ms");
        String json = run(ServerProcess.jdkTool("jfr").toString(), "print", "--json", "--events", "jdk.VirtualThreadPinned", recording.toString());
        JsonNode events = Stats.JSON.readTree(json).path("recording").path("events");
        assertThat(events.isArray()).as("jfr print output: %s", json).isTrue();
        assertThat(events.size()).as("jdk.VirtualThreadPinned events in steady state:\n%s",
                run(ServerProcess.jdkTool("jfr").toString(), "print", "--events", "jdk.VirtualThreadPinned", recording.toString())).isZero();
    }

    /** Echo and chat traffic over 40 connections: reads, writes, broadcasts, opens and closes. */
    static void load(ServerProcess server, String tag) throws Exception {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                work.add(threads.submit(() -> {
                    try (RawWs ws = RawWs.open(server.port(), "/echo")) {
                        for (int m = 0; m < 100; m++) {
                            ws.sendText("echo " + m);
                            if (!ws.readText().equals("echo " + m)) throw new AssertionError("bad echo");
                        }
                        ws.closeHandshake(1000);
                    }
                    return null;
                }));
            }
            for (int i = 0; i < 20; i++) {
                String id = tag + "-" + i;
                work.add(threads.submit(() -> {
                    try (ChatClient c = ChatClient.joinBusyRoom(server.port(), id, tag + "-room-" + (id.hashCode() & 1))) {
                        for (int m = 0; m < 50; m++) c.chat(null, Stats.JSON.getNodeFactory().numberNode(m));
                        int own = 0;
                        while (own < 50) {
                            JsonNode msg = c.next();
                            if (id.equals(msg.path("from").asText())) own++;
                        }
                        c.ws.closeHandshake(1000);
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) f.get(60, TimeUnit.SECONDS);
        }
    }

    /** The settings JFR recorded as active for {@code eventName} (from jdk.ActiveSetting events). */
    static Map<String, String> activeSettings(Path recording, String eventName) throws IOException {
        Map<String, String> settings = new HashMap<>();
        try (RecordingFile file = new RecordingFile(recording)) {
            long typeId = file.readEventTypes().stream().filter(t -> t.getName().equals(eventName))
                    .mapToLong(EventType::getId).findFirst().orElse(-1);
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                if (e.getEventType().getName().equals("jdk.ActiveSetting") && e.getLong("id") == typeId) {
                    settings.put(e.getString("name"), e.getString("value"));
                }
            }
        }
        return settings;
    }

    static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed:\n" + out);
        }
        return out;
    }
}
