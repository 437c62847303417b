package dev.wsstudy.suite;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The child processes the suite has started (servers, loadgens and the loadgen's own workers),
 * so that stopping the suite (Ctrl-C, SIGTERM) never leaves a server or a load generator running.
 */
final class Processes {
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }), "wsstudy-suite-cleanup"));
    }

    private Processes() {}

    static void track(Process p) {
        LIVE.add(p);
        p.onExit().thenRun(() -> LIVE.remove(p));
    }

    /**
     * Waits up to {@code timeout} for {@code p} to exit; if it does not (or the wait is interrupted),
     * {@link #terminate}s it with {@code grace}. Returns null when it exited by itself, else how it
     * was ended.
     */
    static String awaitOrTerminate(Process p, Duration timeout, Duration grace) {
        try {
            if (p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return terminate(p, grace);
    }

    /**
     * SIGTERM to the process and its descendants, SIGKILL to whatever is left after {@code grace}.
     * Returns e.g. "exited with code 143 after SIGTERM" or "killed (SIGKILL) after 10 s".
     */
    static String terminate(Process p, Duration grace) {
        // Listed before the parent goes: once it exits, its children are re-parented and out of reach.
        List<ProcessHandle> children = p.descendants().toList();
        children.forEach(ProcessHandle::destroy);
        p.destroy();
        try {
            if (p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
                return "exited with code " + p.exitValue() + " after SIGTERM";
            }
            children.forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
            return "killed (SIGKILL) after " + grace.toSeconds() + " s";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return "killed (SIGKILL): interrupted";
        }
    }
}
