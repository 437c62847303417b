package dev.wsstudy.servertests.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real headless Chromium (Debian's {@code chromium} package, installed by scripts/setup.sh), driven
 * over the DevTools protocol with the JDK's WebSocket client: navigate, evaluate JavaScript, read
 * results. No driver download, no extra library. Missing Chromium is a test failure, not a skip.
 */
public final class Chromium implements AutoCloseable {
    private final Process process;
    private final Path profile;
    private final JdkWs devtools;
    private int nextId = 1;

    private Chromium(Process process, Path profile, JdkWs devtools) {
        this.process = process;
        this.profile = profile;
        this.devtools = devtools;
    }

    static Path executable() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) return p;
            }
        }
        throw new AssertionError("Chromium is not installed, but the browser interop test needs it: "
                + "run scripts/setup.sh (it installs Debian's chromium package), then run the tests again");
    }

    public static Chromium launch() throws Exception {
        Path profile = Files.createTempDirectory(Path.of("target"), "chromium-profile-").toAbsolutePath();
        Path log = ServerProcess.logDir().resolve("chromium-" + profile.getFileName() + ".log");
        Process p = new ProcessBuilder(executable().toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--disable-extensions",
                "--user-data-dir=" + profile, "--remote-debugging-port=0", "about:blank")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            // Chromium writes its DevTools port into the profile once it listens.
            Path portFile = profile.resolve("DevToolsActivePort");
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!Files.exists(portFile) || Files.readAllLines(portFile).isEmpty()) {
                if (!p.isAlive()) throw new AssertionError("chromium exited with " + p.exitValue() + "; log:\n" + Files.readString(log));
                if (System.nanoTime() > deadline) throw new AssertionError("chromium did not open DevTools; log:\n" + Files.readString(log));
                Thread.sleep(50);
            }
            int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
            HttpResponse<String> list = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                    HttpResponse.BodyHandlers.ofString());
            String pageUrl = null;
            for (JsonNode target : Stats.JSON.readTree(list.body())) {
                if ("page".equals(target.path("type").asText())) pageUrl = target.path("webSocketDebuggerUrl").asText();
            }
            if (pageUrl == null) throw new AssertionError("no page target in " + list.body());
            String path = URI.create(pageUrl).getRawPath();
            return new Chromium(p, profile, JdkWs.connect(port, path));
        } catch (Exception | AssertionError e) {
            kill(p);
            throw e;
        }
    }

    /** Calls a DevTools method and returns its {@code result}. */
    public synchronized JsonNode call(String method, ObjectNode params) throws Exception {
        int id = nextId++;
        ObjectNode msg = Stats.JSON.createObjectNode().put("id", id).put("method", method);
        msg.set("params", params);
        devtools.ws.sendText(Stats.JSON.writeValueAsString(msg), true).get(Http.PATIENCE.toSeconds(), TimeUnit.SECONDS);
        while (true) {
            JsonNode answer = Stats.JSON.readTree(devtools.nextText());
            if (answer.path("id").asInt() != id) continue; // an event, not our answer
            if (answer.has("error")) throw new AssertionError(method + " failed: " + answer.get("error"));
            return answer.path("result");
        }
    }

    /** Evaluates {@code expression} in the page (awaiting a promise) and returns its value as JSON. */
    public JsonNode eval(String expression) throws Exception {
        ObjectNode params = Stats.JSON.createObjectNode().put("expression", expression)
                .put("returnByValue", true).put("awaitPromise", true);
        JsonNode r = call("Runtime.evaluate", params);
        if (r.has("exceptionDetails")) throw new AssertionError("page threw on `" + expression + "`: " + r.get("exceptionDetails"));
        return r.path("result").path("value");
    }

    /** Polls {@code condition} (a JS expression) until it is true. */
    public void await(String condition, Duration timeout, String what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!evalQuietly("Boolean(" + condition + ")")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("browser: " + what + " did not happen within " + timeout
                        + "; page text:\n" + eval("document.body ? document.body.innerText : ''").asText());
            }
            Thread.sleep(50);
        }
    }

    /** During a navigation the old page's context goes away mid-call: that counts as "not yet". */
    private boolean evalQuietly(String expression) throws Exception {
        try {
            return eval(expression).asBoolean();
        } catch (AssertionError contextGone) {
            return false;
        }
    }

    public void navigate(String url) throws Exception {
        call("Page.navigate", Stats.JSON.createObjectNode().put("url", url));
        await("location.href === " + Stats.JSON.writeValueAsString(url) + " && document.readyState === 'complete'",
                Http.PATIENCE, "loading " + url);
    }

    @Override
    public void close() throws IOException {
        try {
            devtools.ws.abort();
        } finally {
            kill(process);
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static void kill(Process p) {
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) p.destroyForcibly();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }
}
