package dev.wsstudy.loadgen;

import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Every option of a measurement, shared by {@code run} and {@code worker} (picocli mixin).
 * The option names are the {@code params} keys in summary.json, so keep them stable.
 */
public final class RunOptions {
    @Option(names = "--scenario", required = true,
            description = "echo-closed | echo-rate | broadcast | idle-connections | churn | blocking-handler | slow-consumer | large-messages")
    public String scenario;

    @Option(names = "--url", required = true, description = "ws://HOST:PORT/PATH (/echo for echo scenarios, /chat for broadcast, slow-consumer, churn);"
            + " several, comma-separated (cluster nodes): connection i goes to target i mod N, so a broadcast room's members are spread round robin")
    public String url;

    @Option(names = "--out", required = true, description = "output folder (created)")
    public Path out;

    @Option(names = "--warmup-s", defaultValue = "5", description = "warm-up seconds, excluded from the summary (default ${DEFAULT-VALUE})")
    public int warmupS;

    @Option(names = "--duration-s", defaultValue = "10", description = "measured seconds (default ${DEFAULT-VALUE})")
    public int durationS;

    @Option(names = "--max-duration-s", defaultValue = "900", description = "safety cap on warm-up + duration (default ${DEFAULT-VALUE})")
    public int maxDurationS;

    @Option(names = "--connections", defaultValue = "50", description = "connections (echo, idle-connections) or concurrent loops (churn) (default ${DEFAULT-VALUE})")
    public int connections;

    @Option(names = "--in-flight", defaultValue = "1", description = "closed loop: messages in flight per connection (default ${DEFAULT-VALUE})")
    public int inFlight;

    @Option(names = "--max-in-flight", defaultValue = "1",
            description = "open loop: at most this many unanswered messages per connection; further due messages wait and are"
                    + " measured from their intended send time, as wrk2 does (default ${DEFAULT-VALUE})")
    public int maxInFlight;

    @Option(names = "--payload-bytes", defaultValue = "64", description = "message size in bytes (default ${DEFAULT-VALUE}; echo needs >= 24 binary, >= 48 text)")
    public int payloadBytes;

    @Option(names = "--text", description = "echo with text frames instead of binary")
    public boolean text;

    @Option(names = "--rate", description = "open loop: total offered messages/s (echo-rate, blocking-handler; broadcast: chat messages/s over all senders)")
    public Double rate;

    @Option(names = "--rates", split = ",", description = "a sweep: one run per rate into OUT/rate-<r>/")
    public List<Double> rates;

    @Option(names = "--rooms", defaultValue = "10", description = "broadcast: rooms (default ${DEFAULT-VALUE})")
    public int rooms;

    @Option(names = "--members", defaultValue = "10", description = "broadcast: members per room (default ${DEFAULT-VALUE})")
    public int members;

    @Option(names = "--senders-per-room", defaultValue = "1", description = "broadcast: senders per room (default ${DEFAULT-VALUE})")
    public int sendersPerRoom;

    @Option(names = "--slow-members", defaultValue = "0", description = "slow-consumer: members per room that stop reading after warm-up (default ${DEFAULT-VALUE})")
    public int slowMembers;

    @Option(names = "--connect-rate", defaultValue = "0", description = "connection attempts per second, 0 = as fast as --max-pending-connects allows")
    public double connectRate;

    @Option(names = "--max-pending-connects", defaultValue = "256", description = "connection attempts in progress at once (default ${DEFAULT-VALUE})")
    public int maxPendingConnects;

    @Option(names = "--connect-timeout-ms", defaultValue = "10000", description = "TCP connect + handshake timeout (default ${DEFAULT-VALUE})")
    public int connectTimeoutMs;

    @Option(names = "--io-threads", defaultValue = "1", description = "client event-loop threads per process (default ${DEFAULT-VALUE})")
    public int ioThreads;

    @Option(names = "--max-server-wait-pct", defaultValue = "10",
            description = "self-check: summary.json marks the server starved (server.starved) when its threads waited for a CPU"
                    + " that other processes held (run-queue wait, /proc/PID/task/*/schedstat, bounded by the others' busy time"
                    + " on its CPUs) for at least this %% of the measured window (default ${DEFAULT-VALUE})")
    public double maxServerWaitPct;

    @Option(names = "--transport", defaultValue = "auto",
            description = "client I/O: epoll or io_uring (Netty's native transports; their timers let each event loop pace its own"
                    + " open-loop sends), nio, or auto = epoll where it loads, else nio (default ${DEFAULT-VALUE})")
    public String transport;

    @Option(names = "--workers", defaultValue = "1", description = "processes sharing the load (this one + K-1 spawned JVMs) (default ${DEFAULT-VALUE})")
    public int workers;

    @Option(names = "--source-addresses", split = ",",
            description = "local addresses to bind, round robin (e.g. 127.0.0.1,127.0.0.2); default: chosen by the kernel,"
                    + " or 127.0.0.1..N with one address per 20,000 connections on a loopback target")
    public List<String> sourceAddresses;

    @Option(names = "--allow-remote", description = "allow a target outside 127.0.0.0/8")
    public boolean allowRemote;

    @Option(names = "--server-pid", split = ",", description = "server process(es) to sample from /proc; several (cluster nodes) are summed")
    public List<Long> serverPid;

    @Option(names = "--no-live-heap", description = "idle-connections: skip the server's live heap (jcmd GC.class_histogram, "
            + "a full GC before connecting and at the end of the hold; JVM servers only)")
    public boolean noLiveHeap;

    @Option(names = "--stats-url", description = "server /stats URL fetched before and after")
    public String statsUrl;

    @Option(names = "--server-kind", description = "label for the server (else from /stats, else 'external')")
    public String serverKind;

    @Option(names = "--work-cpu-us", description = "blocking-handler: the server's --work-cpu-us (recorded only)")
    public Integer workCpuUs;

    @Option(names = "--work-block-ms", description = "blocking-handler: the server's --work-block-ms (recorded only)")
    public Integer workBlockMs;

    @Option(names = "--drain-ms", defaultValue = "2000", description = "after sending stops, wait this long for answers (default ${DEFAULT-VALUE})")
    public int drainMs;

    @Option(names = "--max-lag-p99-us", defaultValue = "1000", description = "self-check: schedule lag p99 above this flags a loadgen bottleneck (default ${DEFAULT-VALUE})")
    public long maxLagP99Us;

    @Option(names = "--max-cpu-pct-of-budget", defaultValue = "85", description = "self-check: loadgen CPU above this %% of its cores flags a bottleneck (default ${DEFAULT-VALUE})")
    public double maxCpuPctOfBudget;

    @Option(names = "--max-backed-up-ticks-pct", defaultValue = "5",
            description = "self-check: pacer ticks finding the previous batch still queued above this %% flag a bottleneck (default ${DEFAULT-VALUE})")
    public double maxBackedUpTicksPct;

    @Option(names = "--run-id", hidden = true, description = "unique prefix for client and room ids")
    public String runId;

    /** The targets of {@code --url}, in order (one unless the load is spread over cluster nodes). */
    public List<URI> targets() {
        List<URI> out = new ArrayList<>();
        for (String u : url.split(",")) out.add(URI.create(u.trim()));
        return out;
    }

    /** Seconds from the common start to the end of the measured period. */
    public int totalS() {
        return warmupS + durationS;
    }
}
