package dev.wsstudy.cluster;

/**
 * Where cluster events go: the server's one-line log (server-core's {@code Log} has exactly these
 * methods), so cluster lines look like every other line. {@code keyValues} alternate key, value.
 * Events: {@code cluster-connected}, {@code cluster-disconnected}, {@code cluster-reconnected},
 * {@code cluster-missed}, {@code cluster-malformed}, {@code cluster-stopped}.
 */
public interface ClusterLog {

    void info(String event, Object... keyValues);

    void warn(String event, Object... keyValues);

    void error(String event, Object... keyValues);

    /** Prints nothing (tests that do not look at the log). */
    ClusterLog SILENT = new ClusterLog() {
        @Override
        public void info(String event, Object... keyValues) {
        }

        @Override
        public void warn(String event, Object... keyValues) {
        }

        @Override
        public void error(String event, Object... keyValues) {
        }
    };
}
