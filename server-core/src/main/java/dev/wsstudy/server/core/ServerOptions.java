package dev.wsstudy.server.core;

import dev.wsstudy.cluster.RedisRoomBus;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The one command line of all three servers (docs/servers.md lists the same table). Each Main calls
 * {@link #parse(String, String...)}; nothing here knows which server it configures.
 */
@Command(mixinStandardHelpOptions = true, sortOptions = false,
        description = "A WebSocket server of the wsstudy project (/echo, /chat, /health, /stats, /).")
public final class ServerOptions {

    @Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "bind address (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "port; 0 picks a free one (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--max-frame-bytes", defaultValue = "16777216",
            description = "larger frames are closed with 1009 (default: ${DEFAULT-VALUE})")
    int maxFrameBytes;

    @Option(names = "--max-message-bytes", defaultValue = "16777216",
            description = "larger reassembled messages are closed with 1009 (default: ${DEFAULT-VALUE})")
    int maxMessageBytes;

    @Option(names = "--max-outbox-bytes", defaultValue = "4194304",
            description = "per-connection outgoing bound; beyond it the client is a slow consumer, closed 1008 (default: ${DEFAULT-VALUE})")
    long maxOutboxBytes;

    @Option(names = "--handshake-timeout-ms", defaultValue = "10000",
            description = "drop connections that never finish the HTTP head (default: ${DEFAULT-VALUE})")
    long handshakeTimeoutMs;

    @Option(names = "--idle-timeout-ms", defaultValue = "0",
            description = "close 1001 after this long without a frame from the client; 0 = off (default: ${DEFAULT-VALUE})")
    long idleTimeoutMs;

    @Option(names = "--ping-interval-ms", defaultValue = "0",
            description = "keep-alive ping interval; 0 = off (default: ${DEFAULT-VALUE})")
    long pingIntervalMs;

    @Option(names = "--close-timeout-ms", defaultValue = "3000",
            description = "wait this long for the peer's close answer or a final flush (default: ${DEFAULT-VALUE})")
    long closeTimeoutMs;

    @Option(names = "--allowed-origin", description = "repeatable; when set, other Origins get 403")
    List<String> allowedOrigins = new ArrayList<>();

    @Option(names = "--subprotocol", description = "repeatable; supported subprotocol names")
    List<String> subprotocols = new ArrayList<>();

    @Option(names = "--work-cpu-us", defaultValue = "0",
            description = "burn this much CPU per received message (study option; default: ${DEFAULT-VALUE})")
    long workCpuUs;

    @Option(names = "--work-block-ms", defaultValue = "0",
            description = "sleep this long per received message, as a database call would (study option; default: ${DEFAULT-VALUE})")
    long workBlockMs;

    @Option(names = "--coalesce", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "gathering writes of all queued frames; --no-coalesce = one frame per write (default: on)")
    boolean coalesce;

    @Option(names = "--accept-backoff-ms", defaultValue = "1000",
            description = "pause accepting this long after the open-files limit is hit (default: ${DEFAULT-VALUE})")
    long acceptBackoffMs;

    @Option(names = "--log-connections", description = "log a line for every connection opened and closed (default: off)")
    boolean logConnections;

    @Option(names = "--cluster", description = "redis://HOST:PORT: cluster mode (rooms span nodes)")
    String cluster;

    /**
     * Parses {@code args} for the server {@code kind}. Returns null when help or version was printed
     * (the caller exits 0); throws {@link ParameterException} with a one-line message on bad input.
     */
    public static ServerConfig parse(String kind, String... args) {
        ServerOptions options = new ServerOptions();
        CommandLine cli = new CommandLine(options).setCommandName("wsstudy-" + kind);
        CommandLine.ParseResult result = cli.parseArgs(args);
        if (result.isUsageHelpRequested()) {
            cli.usage(System.out);
            return null;
        }
        if (result.isVersionHelpRequested()) {
            System.out.println("wsstudy-" + kind + " " + Runtime.version());
            return null;
        }
        return options.toConfig(kind);
    }

    ServerConfig toConfig(String kind) {
        require(port >= 0 && port <= 65535, "--port must be 0..65535, got " + port);
        require(maxFrameBytes > 0, "--max-frame-bytes must be positive");
        require(maxMessageBytes > 0, "--max-message-bytes must be positive");
        require(maxOutboxBytes > 0, "--max-outbox-bytes must be positive");
        require(handshakeTimeoutMs > 0, "--handshake-timeout-ms must be positive");
        require(closeTimeoutMs > 0, "--close-timeout-ms must be positive");
        require(idleTimeoutMs >= 0, "--idle-timeout-ms must be >= 0");
        require(pingIntervalMs >= 0, "--ping-interval-ms must be >= 0");
        require(workCpuUs >= 0, "--work-cpu-us must be >= 0");
        require(workBlockMs >= 0, "--work-block-ms must be >= 0");
        require(acceptBackoffMs > 0, "--accept-backoff-ms must be positive");
        if (cluster != null) {
            try {
                RedisRoomBus.validateUrl(cluster);
            } catch (IllegalArgumentException e) {
                require(false, "--cluster must be redis://HOST:PORT (" + e.getMessage() + ")");
            }
        }
        return new ServerConfig(kind, host, port, maxFrameBytes, maxMessageBytes, maxOutboxBytes,
                handshakeTimeoutMs, idleTimeoutMs, pingIntervalMs, closeTimeoutMs,
                allowedOrigins, subprotocols, workCpuUs, workBlockMs, coalesce, acceptBackoffMs,
                logConnections, cluster);
    }

    private void require(boolean ok, String message) {
        if (!ok) throw new ParameterException(spec.commandLine(), message);
    }
}
