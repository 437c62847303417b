package dev.wsstudy.suite;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a suite file (JSON, comments allowed) into a checked {@link Suite}. Every error names the
 * file and the field, e.g. {@code suites/x.json: scenarios[1].params.rate: ...}, so a user's own
 * suite fails before any server starts, never halfway through a run.
 */
final class SuiteLoader {
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.ALLOW_COMMENTS);
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern OPTION = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final Set<String> TOP = Set.of("name", "description", "trials", "warmupS", "durationS",
            "servers", "peers", "external", "serverJvmFlags", "loadgenJvmFlags", "cellTimeoutS", "machineJitterS",
            "scenarios");
    private static final Set<String> SCEN = Set.of("name", "scenario", "path", "restart", "trials", "warmupS",
            "durationS", "params", "serverArgs", "metrics", "clusterNodes", "servers");
    static final List<String> DEFAULT_SERVER_JVM_FLAGS = List.of("-Xms1g", "-Xmx1g", "-XX:+UseParallelGC");
    static final List<String> DEFAULT_LOADGEN_JVM_FLAGS = List.of("-Xms1g", "-Xmx1g", "-XX:+UseParallelGC");

    private SuiteLoader() {}

    /** {@code quick} / {@code full} name a file in {@code suites/}; anything else is a path. */
    static Path resolve(Path root, String nameOrPath) {
        Path named = root.resolve("suites").resolve(nameOrPath + ".json");
        if (!nameOrPath.contains("/") && !nameOrPath.endsWith(".json") && Files.isRegularFile(named)) {
            return named;
        }
        return Path.of(nameOrPath);
    }

    static Suite load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": no such suite file (built-in suites: quick, full, peers)");
        }
        return parse(Files.readString(file), file.getFileName().toString());
    }

    static Suite parse(String text, String source) {
        JsonNode n;
        try {
            n = JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        }
        Ctx c = new Ctx(source);
        c.require(n != null && n.isObject(), "", "the file must hold one JSON object");
        c.known(n, TOP, "");
        String name = c.safe(n.path("name"), "name", null);
        int trials = c.intAtLeast(n.path("trials"), "trials", 3, 1);
        int warmup = c.intAtLeast(n.path("warmupS"), "warmupS", 5, 0);
        int duration = c.intAtLeast(n.path("durationS"), "durationS", 20, 1);
        List<String> servers = new ArrayList<>();
        for (String s : c.strings(n.path("servers"), "servers", Suite.KINDS)) {
            String k = Suite.canonicalKind(s);
            c.require(Suite.KINDS.contains(k), "servers", "unknown server '" + s + "' (known: " + Suite.KINDS + ")");
            c.require(!servers.contains(k), "servers", "'" + k + "' listed twice");
            servers.add(k);
        }
        List<Suite.Peer> peers = peers(c, n.path("peers"), servers);
        List<String> names = new ArrayList<>(servers);
        peers.forEach(p -> names.add(p.name()));
        List<Suite.External> external = new ArrayList<>();
        JsonNode ext = n.path("external");
        c.require(ext.isMissingNode() || ext.isArray(), "external", "expected a list of {name, url}");
        for (int i = 0; i < ext.size(); i++) {
            String at = "external[" + i + "]";
            c.known(ext.get(i), Set.of("name", "url"), at);
            String en = c.safe(ext.get(i).path("name"), at + ".name", null);
            c.require(!names.contains(en) && external.stream().noneMatch(e -> e.name().equals(en)),
                    at + ".name", "'" + en + "' is already a target name");
            external.add(new Suite.External(en, loopbackWsUrl(c, ext.get(i).path("url"), at + ".url")));
        }
        c.require(!servers.isEmpty() || !peers.isEmpty() || !external.isEmpty(), "servers", "no server to measure");
        List<String> serverFlags = c.strings(n.path("serverJvmFlags"), "serverJvmFlags", DEFAULT_SERVER_JVM_FLAGS);
        List<String> loadgenFlags = c.strings(n.path("loadgenJvmFlags"), "loadgenJvmFlags", DEFAULT_LOADGEN_JVM_FLAGS);
        int cellTimeout = c.intAtLeast(n.path("cellTimeoutS"), "cellTimeoutS", 60, 5);
        int jitterS = c.intAtLeast(n.path("machineJitterS"), "machineJitterS", JitterBaseline.DEFAULT_SECONDS, 1);
        c.require(jitterS <= 60, "machineJitterS", "expected at most 60 (seconds per CPU, before the first cell)");
        JsonNode scs = n.path("scenarios");
        c.require(scs.isArray() && !scs.isEmpty(), "scenarios", "expected a non-empty list");
        List<Suite.Scenario> scenarios = new ArrayList<>();
        Set<String> scenarioNames = new HashSet<>();
        for (int i = 0; i < scs.size(); i++) {
            Suite.Scenario s = scenario(c, scs.get(i), "scenarios[" + i + "]", trials, warmup, duration, peers);
            c.require(scenarioNames.add(s.name()), "scenarios[" + i + "].name", "'" + s.name() + "' used twice");
            scenarios.add(s);
        }
        String description = n.path("description").asText("");
        return new Suite(name, description, trials, warmup, duration, List.copyOf(servers), List.copyOf(peers),
                List.copyOf(external),
                serverFlags, loadgenFlags, cellTimeout, jitterS, List.copyOf(scenarios));
    }

    /**
     * {@code "peers"}: each entry is a peer folder's name ({@code "gorilla"}) or an object
     * {@code {"name": "netty-nio", "peer": "netty", "args": ["--transport", "nio"]}} (peer defaults
     * to name). Only the names are checked here; a missing folder fails that peer's cells at run time.
     */
    private static List<Suite.Peer> peers(Ctx c, JsonNode v, List<String> servers) {
        c.require(v.isMissingNode() || v.isArray(), "peers", "expected a list of peer names or {name, peer, args}");
        List<Suite.Peer> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            String at = "peers[" + i + "]";
            JsonNode p = v.get(i);
            Suite.Peer peer;
            if (p.isTextual()) {
                String folder = c.safe(p, at, null);
                peer = new Suite.Peer(folder, folder, List.of());
            } else {
                c.known(p, Set.of("name", "peer", "args"), at);
                String name = c.safe(p.path("name"), at + ".name", null);
                String folder = c.safe(p.path("peer"), at + ".peer", name);
                peer = new Suite.Peer(name, folder, c.strings(p.path("args"), at + ".args", List.of()));
            }
            c.require(!Suite.KINDS.contains(Suite.canonicalKind(peer.name())), at,
                    "'" + peer.name() + "' is one of our servers");
            c.require(out.stream().noneMatch(x -> x.name().equals(peer.name())), at,
                    "'" + peer.name() + "' listed twice");
            out.add(peer);
        }
        return out;
    }

    private static Suite.Scenario scenario(Ctx c, JsonNode s, String at, int trials, int warmup, int duration,
                                           List<Suite.Peer> peers) {
        c.require(s.isObject(), at, "expected an object");
        c.known(s, SCEN, at);
        String type = c.safe(s.path("scenario"), at + ".scenario", null);
        String name = c.safe(s.path("name"), at + ".name", type);
        String path = s.path("path").asText(Suite.Scenario.CHAT.contains(type) ? "/chat" : "/echo");
        c.require(path.startsWith("/"), at + ".path", "must start with /");
        String restartText = s.path("restart").asText(Suite.Scenario.STATEFUL.contains(type) ? "cell" : "scenario");
        c.require(restartText.equals("cell") || restartText.equals("scenario"), at + ".restart",
                "expected \"scenario\" or \"cell\"");
        LinkedHashMap<String, JsonNode> params = new LinkedHashMap<>();
        JsonNode p = s.path("params");
        c.require(p.isMissingNode() || p.isObject(), at + ".params", "expected an object of loadgen options");
        for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String pat = at + ".params." + e.getKey();
            c.require(OPTION.matcher(e.getKey()).matches(), pat, "option names are lower-case words with '-'");
            JsonNode v = e.getValue();
            boolean scalar = v.isValueNode() && !v.isNull();
            boolean list = v.isArray() && !v.isEmpty();
            for (JsonNode x : v.isArray() ? v : List.<JsonNode>of()) {
                list &= x.isValueNode() && !x.isNull();
            }
            c.require(scalar || list, pat, "expected a number, string, boolean or a non-empty list of them");
            params.put(e.getKey(), v);
        }
        List<String> metrics = c.strings(s.path("metrics"), at + ".metrics", List.of());
        for (String m : metrics) {
            try {
                Metric.byKey(m);
            } catch (IllegalArgumentException e) {
                throw c.fail(at + ".metrics", e.getMessage());
            }
        }
        int clusterNodes = c.intAtLeast(s.path("clusterNodes"), at + ".clusterNodes", 0, 0);
        c.require(clusterNodes == 0 || clusterNodes >= 2 && clusterNodes <= 8, at + ".clusterNodes",
                "a cluster has 2 to 8 nodes (0 = one server)");
        c.require(clusterNodes == 0 || Suite.Scenario.CHAT.contains(type), at + ".clusterNodes",
                "cluster mode spreads chat rooms: only for " + Suite.Scenario.CHAT);
        List<String> only = new ArrayList<>();
        List<String> known = new ArrayList<>(Suite.KINDS);
        peers.forEach(x -> known.add(x.name()));
        for (String k : c.strings(s.path("servers"), at + ".servers", List.of())) {
            String kind = peers.stream().anyMatch(x -> x.name().equals(k)) ? k : Suite.canonicalKind(k);
            c.require(known.contains(kind), at + ".servers", "unknown server '" + k + "' (known: " + known + ")");
            only.add(kind);
        }
        return new Suite.Scenario(name, type, path, Suite.Restart.valueOf(restartText),
                c.intAtLeast(s.path("trials"), at + ".trials", trials, 1),
                c.intAtLeast(s.path("warmupS"), at + ".warmupS", warmup, 0),
                c.intAtLeast(s.path("durationS"), at + ".durationS", duration, 1),
                params, c.strings(s.path("serverArgs"), at + ".serverArgs", List.of()), metrics,
                clusterNodes, List.copyOf(only));
    }

    /** An external target from the command line ({@code --external NAME=URL}), checked like one in a file. */
    static Suite.External external(String spec) {
        int eq = spec.indexOf('=');
        Ctx c = new Ctx("--external");
        c.require(eq > 0, "", "expected NAME=ws://127.0.0.1:PORT/PATH, got '" + spec + "'");
        String name = c.safe(JSON.getNodeFactory().textNode(spec.substring(0, eq)), "NAME", null);
        c.require(!Suite.KINDS.contains(name), "NAME", "'" + name + "' is one of our servers");
        return new Suite.External(name, loopbackWsUrl(c, JSON.getNodeFactory().textNode(spec.substring(eq + 1)), "URL"));
    }

    /** Load tests go to this machine only (127.0.0.0/8, ::1): a user's server is never remote. */
    private static String loopbackWsUrl(Ctx c, JsonNode v, String at) {
        c.require(v.isTextual(), at, "expected a ws://127.0.0.1:PORT/PATH URL");
        URI u;
        try {
            u = URI.create(v.asText());
        } catch (IllegalArgumentException e) {
            throw c.fail(at, "not a URL: " + v.asText());
        }
        c.require("ws".equals(u.getScheme()) && u.getHost() != null && u.getPort() > 0, at,
                "expected ws://HOST:PORT/PATH with an explicit port");
        String h = u.getHost();
        c.require(h.equals("localhost") || h.matches("127(\\.\\d{1,3}){3}") || h.equals("[::1]"), at,
                "load is only sent to this machine (127.0.0.0/8, localhost, [::1]), not to " + h);
        return v.asText();
    }

    /** Error context: which file, which field. */
    private record Ctx(String source) {
        IllegalArgumentException fail(String at, String msg) {
            return new IllegalArgumentException(source + ": " + (at.isEmpty() ? "" : at + ": ") + msg);
        }

        void require(boolean ok, String at, String msg) {
            if (!ok) {
                throw fail(at, msg);
            }
        }

        void known(JsonNode obj, Set<String> allowed, String at) {
            require(obj.isObject(), at, "expected an object");
            obj.fieldNames().forEachRemaining(f -> require(allowed.contains(f), at.isEmpty() ? f : at + "." + f,
                    "unknown field (known: " + String.join(", ", allowed.stream().sorted().toList()) + ")"));
        }

        String safe(JsonNode v, String at, String dflt) {
            if (v.isMissingNode() && dflt != null) {
                return dflt;
            }
            require(v.isTextual() && SAFE.matcher(v.asText()).matches(), at,
                    "expected a name of letters, digits, '.', '_' or '-' (it names a folder)");
            return v.asText();
        }

        int intAtLeast(JsonNode v, String at, int dflt, int min) {
            if (v.isMissingNode()) {
                return dflt;
            }
            require(v.canConvertToExactIntegral() && v.asInt() >= min, at, "expected a whole number >= " + min);
            return v.asInt();
        }

        List<String> strings(JsonNode v, String at, List<String> dflt) {
            if (v.isMissingNode()) {
                return dflt;
            }
            require(v.isArray(), at, "expected a list of strings");
            List<String> out = new ArrayList<>();
            v.forEach(x -> {
                require(x.isTextual(), at, "expected a list of strings");
                out.add(x.asText());
            });
            return List.copyOf(out);
        }
    }
}
