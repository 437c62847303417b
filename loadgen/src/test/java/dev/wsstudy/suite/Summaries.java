package dev.wsstudy.suite;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Crafted summary.json objects in the shape docs/results-format.md fixes, for the suite's logic tests. */
final class Summaries {
    static final ObjectMapper JSON = new ObjectMapper();

    private Summaries() {}

    static ObjectNode echo(String scenario, Double offeredRate, double achievedRate, double p50Us, double p99Us,
                           String status) {
        ObjectNode s = JSON.createObjectNode();
        s.put("scenario", scenario);
        s.put("target", "ws://127.0.0.1:1/echo");
        s.put("serverKind", "eventloop");
        s.putObject("params").put("connections", 50);
        s.put("startedAt", "2026-01-01T00:00:00Z");
        s.put("warmupS", 1);
        s.put("durationS", 3);
        s.put("mode", offeredRate == null ? "closed" : "open");
        s.put("connections", 50);
        if (offeredRate == null) {
            s.putNull("offeredRate");
        } else {
            s.put("offeredRate", offeredRate);
        }
        s.put("sent", (long) (achievedRate * 3));
        s.put("received", (long) (achievedRate * 3));
        s.put("achievedRate", achievedRate);
        s.put("throughputMBps", achievedRate * 64 / 1e6);
        s.put("errors", 0);
        s.putObject("errorKinds");
        ObjectNode lat = s.putObject("latency");
        for (String k : List.of("corrected", "uncorrected")) {
            ObjectNode l = lat.putObject(k);
            l.put("count", (long) (achievedRate * 3));
            l.put("mean", p50Us);
            l.put("p50", p50Us);
            l.put("p90", (p50Us + p99Us) / 2);
            l.put("p99", p99Us);
            l.put("p999", p99Us * 2);
            l.put("p9999", p99Us * 3);
            l.put("max", p99Us * 4);
        }
        s.putNull("delivery");
        ObjectNode server = s.putObject("server");
        server.put("pid", 1234);
        server.put("cpuUsPerMessage", 12.5);
        server.put("threadsMax", 20);
        ObjectNode lg = s.putObject("loadgen");
        lg.put("cpuPct", 40.0);
        boolean bottleneck = "loadgen-bottleneck".equals(status);
        lg.put("bottleneck", bottleneck);
        lg.put("bottleneckReason", bottleneck ? "schedule lag p99 5000 us > 1000 us" : null);
        s.put("status", status);
        if ("failed".equals(status)) {
            s.put("failureReason", "scenario failed");
        } else {
            s.putNull("failureReason");
        }
        return s;
    }

    static ObjectNode broadcast(int connections, double within500Pct, String status) {
        ObjectNode s = echo("broadcast", 100.0, 1000, 800, 5000, status);
        s.put("connections", connections);
        ObjectNode d = s.putObject("delivery");
        d.put("expected", 1000);
        d.put("delivered", 1000);
        d.put("lost", 0);
        d.put("duplicated", 0);
        d.put("reordered", 0);
        d.put("within500msPct", within500Pct);
        return s;
    }

    static TrialResult trial(String scenario, String type, String server, String cell, int trial, ObjectNode summary) {
        return TrialResult.of(scenario, type, server, cell, trial, scenario + "/" + server + "/" + cell + "/trial-" + trial,
                summary);
    }

    static TrialResult rate(String server, double rate, double p99Us, String status) {
        return trial("echo-rate", "echo-rate", server, "rate=" + (long) rate, 1,
                echo("echo-rate", rate, rate, p99Us / 4, p99Us, status));
    }

    /** Three trials of one echo-rate cell with the given p99 values. */
    static List<TrialResult> trials(String server, String cell, double... p99s) {
        List<TrialResult> out = new ArrayList<>();
        for (int i = 0; i < p99s.length; i++) {
            out.add(trial("echo-rate", "echo-rate", server, cell, i + 1,
                    echo("echo-rate", 1000.0, 1000, p99s[i] / 4, p99s[i], "ok")));
        }
        return out;
    }
}
