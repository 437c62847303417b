package dev.wsstudy.suite;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

/**
 * A suite as the runner uses it: every default filled in, every value checked ({@link SuiteLoader}).
 * This is also what run.json stores as the suite definition, after command-line overrides.
 */
record Suite(String name, String description, int trials, int warmupS, int durationS,
             List<String> servers, List<Peer> peers, List<External> external,
             List<String> serverJvmFlags, List<String> loadgenJvmFlags,
             int cellTimeoutS, int machineJitterS, List<Scenario> scenarios) {

    /** Our three servers, by the names used in folders and tables, with their Maven modules. */
    static final List<String> KINDS = List.of("eventloop", "threaded", "virtualthread");

    static String moduleOf(String kind) {
        return kind + "-server";
    }

    /** Accepts the launcher's aliases too ({@code virtual}, {@code eventloop-server}). */
    static String canonicalKind(String s) {
        String k = s.endsWith("-server") ? s.substring(0, s.length() - "-server".length()) : s;
        return "virtual".equals(k) ? "virtualthread" : k;
    }

    /** A user's own WebSocket server, measured only in scenarios that need nothing but echo. */
    record External(String name, String url) {}

    /**
     * A reference peer (peers/README.md): the suite starts {@code peers/<peer>/run --host --port
     * <args>} like one of our servers and runs only its /echo scenarios. {@code name} labels the
     * target (folders, table columns), so one peer folder can appear with different {@code args}.
     */
    record Peer(String name, String peer, List<String> args) {}

    enum Restart { scenario, cell }

    /**
     * One named workload: {@code type} is the loadgen's {@code --scenario}; {@code params} map each
     * loadgen option (without {@code --}) to one value or a list of values; lists span the matrix.
     * {@code clusterNodes} &gt; 0: each server run is that many nodes of the kind on one
     * redis-server (docs/cluster.md), the loadgen spreads each room over them. {@code servers}: the
     * kinds this scenario runs on (empty = the suite's).
     */
    record Scenario(String name, String type, String path, Restart restart, int trials, int warmupS,
                    int durationS, LinkedHashMap<String, JsonNode> params, List<String> serverArgs,
                    List<String> metrics, int clusterNodes, List<String> servers) {

        Scenario(String name, String type, String path, Restart restart, int trials, int warmupS,
                 int durationS, LinkedHashMap<String, JsonNode> params, List<String> serverArgs,
                 List<String> metrics) {
            this(name, type, path, restart, trials, warmupS, durationS, params, serverArgs, metrics, 0, List.of());
        }

        /** Whether this scenario runs on target {@code name} (a server kind or a peer). */
        boolean runsOn(String name) {
            return servers.isEmpty() || servers.contains(name);
        }

        /** Scenarios whose measurement depends on server state left by earlier cells. */
        static final Set<String> STATEFUL = Set.of("idle-connections", "churn", "slow-consumer");

        /** Chat scenarios cannot target an external echo server. */
        static final Set<String> CHAT = Set.of("broadcast", "churn", "slow-consumer");

        boolean echoOnly() {
            return "/echo".equals(path);
        }

        List<Metric> metricList() {
            return metrics.isEmpty() ? Metric.defaultsFor(type) : metrics.stream().map(Metric::byKey).toList();
        }
    }

    /**
     * The suite narrowed by the command line: only these targets and scenarios (null = all), every
     * scenario's trials replaced when {@code trials} is given. Unknown names are an error, not a no-op.
     */
    Suite narrowed(List<String> onlyTargets, List<String> onlyScenarios, Integer trialsOverride) {
        List<String> kinds = servers;
        List<Peer> ps = peers;
        List<External> ext = external;
        if (onlyTargets != null) {
            List<String> wanted = onlyTargets.stream()
                    .map(t -> peers.stream().anyMatch(p -> p.name().equals(t)) ? t : canonicalKind(t)).toList();
            for (String w : wanted) {
                if (!targetNames().contains(w)) {
                    throw new IllegalArgumentException("--servers: '" + w + "' is not in suite " + name
                            + " (it has: " + String.join(", ", targetNames()) + ")");
                }
            }
            kinds = servers.stream().filter(wanted::contains).toList();
            ps = peers.stream().filter(p -> wanted.contains(p.name())).toList();
            ext = external.stream().filter(e -> wanted.contains(e.name())).toList();
        }
        List<Scenario> scs = scenarios;
        if (onlyScenarios != null) {
            for (String w : onlyScenarios) {
                if (scenarios.stream().noneMatch(s -> s.name().equals(w))) {
                    throw new IllegalArgumentException("--scenarios: '" + w + "' is not in suite " + name + " (it has: "
                            + String.join(", ", scenarios.stream().map(Scenario::name).toList()) + ")");
                }
            }
            scs = scenarios.stream().filter(s -> onlyScenarios.contains(s.name())).toList();
        }
        if (trialsOverride != null) {
            if (trialsOverride < 1) {
                throw new IllegalArgumentException("--trials must be at least 1");
            }
            scs = scs.stream().map(s -> new Scenario(s.name(), s.type(), s.path(), s.restart(), trialsOverride,
                    s.warmupS(), s.durationS(), s.params(), s.serverArgs(), s.metrics(), s.clusterNodes(), s.servers()))
                    .toList();
        }
        return new Suite(name, description, trialsOverride != null ? trialsOverride : trials, warmupS, durationS,
                kinds, ps, ext, serverJvmFlags, loadgenJvmFlags, cellTimeoutS, machineJitterS, scs);
    }

    /** The suite with more external targets (from {@code --external}). */
    Suite withExternal(List<External> more) {
        List<External> all = new java.util.ArrayList<>(external);
        for (External e : more) {
            if (targetNames().contains(e.name())) {
                throw new IllegalArgumentException("--external: '" + e.name() + "' is already a target name");
            }
            all.add(e);
        }
        return new Suite(name, description, trials, warmupS, durationS, servers, peers, List.copyOf(all), serverJvmFlags,
                loadgenJvmFlags, cellTimeoutS, machineJitterS, scenarios);
    }

    /** Every server, peer and external target the suite measures, by display name, in that order. */
    List<String> targetNames() {
        List<String> all = new java.util.ArrayList<>(servers);
        peers.forEach(p -> all.add(p.name()));
        external.forEach(e -> all.add(e.name()));
        return all;
    }
}
