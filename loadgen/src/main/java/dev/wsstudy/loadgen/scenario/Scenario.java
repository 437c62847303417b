package dev.wsstudy.loadgen.scenario;

import dev.wsstudy.loadgen.RunOptions;
import dev.wsstudy.loadgen.ShareContext;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A named, parameterized workload. Each process runs its share of it in three phases:
 * {@link #connect} before the common start (all processes report ready, then start together),
 * {@link #run} from the start through warm-up, the measured period and the drain, and
 * {@link #close} (clean shutdown with close frames).
 */
public interface Scenario {
    Map<String, Function<RunOptions, Scenario>> ALL = Map.of(
            "echo-closed", EchoClosed::new,
            "echo-rate", EchoRate::new,
            "blocking-handler", BlockingHandler::new,
            "large-messages", LargeMessages::new,
            "broadcast", Broadcast::new,
            "slow-consumer", SlowConsumer::new,
            "idle-connections", IdleConnections::new,
            "churn", Churn::new);

    /** Scenarios that need only the echo endpoint, so any external WebSocket echo server will do. */
    List<String> ECHO_ONLY = List.of("echo-closed", "echo-rate", "blocking-handler", "large-messages", "idle-connections");

    static Scenario create(RunOptions o) {
        Function<RunOptions, Scenario> f = ALL.get(o.scenario);
        if (f == null) throw new IllegalArgumentException("unknown scenario '" + o.scenario + "'; one of " + ALL.keySet());
        return f.apply(o);
    }

    /** Open loop (a send schedule at a constant rate) or closed loop (as fast as answers come back). */
    boolean openLoop();

    /** Offered rate in messages/s for the whole run (all processes), or null in closed loop. */
    default Double offeredRate() { return null; }

    /** Connections the whole run opens (all processes). */
    int connections();

    /** Opens this process's connections; throws if the scenario cannot run (the run is then "failed"). */
    void connect(ShareContext ctx) throws Exception;

    /** Traffic from {@code ctx.startNanos()} to {@code ctx.endNanos()}, then the drain. */
    void run(ShareContext ctx) throws Exception;

    /** Clean shutdown and the scenario's entries in the share report. */
    void close(ShareContext ctx) throws Exception;
}
