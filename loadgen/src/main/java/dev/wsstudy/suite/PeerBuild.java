package dev.wsstudy.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs each peer's optional {@code peers/<peer>/build} (peers/README.md) once per suite run, before
 * its first start, with its output in that start's server.log. The outcome is remembered per
 * folder, so a peer listed twice (netty-epoll, netty-nio) builds once and a failed build fails
 * every cell of that peer quickly, with the same reason, without stopping the suite.
 */
final class PeerBuild {
    /** npm or apt on a cold machine may take minutes; a build that hangs must not hang the suite. */
    static final Duration TIMEOUT = Duration.ofMinutes(15);

    private final Path root;
    /** folder -> "" when built, else why not. */
    private final Map<String, String> outcomes = new HashMap<>();

    PeerBuild(Path root) {
        this.root = root;
    }

    /** Builds the peer if it has not been tried in this run; throws when it is not usable. */
    void ensure(Suite.Peer peer, Path log) throws ServerProcess.StartFailure {
        ServerProcess.peerRun(root, peer);
        String outcome = outcomes.computeIfAbsent(peer.peer(), folder -> build(folder, log));
        if (!outcome.isEmpty()) {
            throw new ServerProcess.StartFailure(outcome);
        }
    }

    private String build(String folder, Path log) {
        Path script = root.resolve("peers").resolve(folder).resolve("build");
        if (!Files.exists(script)) {
            return "";
        }
        if (!Files.isExecutable(script)) {
            return "peer build failed: peers/" + folder + "/build is not executable";
        }
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, "[wsstudy-suite] building: peers/" + folder + "/build\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            Process p = new ProcessBuilder(List.of(script.toString())).directory(root.toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            Processes.track(p);
            if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                Processes.terminate(p, Duration.ofSeconds(5));
                return "peer build failed: peers/" + folder + "/build still running after " + TIMEOUT.toMinutes() + " min";
            }
            return p.exitValue() == 0 ? ""
                    : "peer build failed: peers/" + folder + "/build exited with code " + p.exitValue() + " (see server.log)";
        } catch (IOException e) {
            return "peer build failed: peers/" + folder + "/build: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "peer build interrupted";
        }
    }
}
