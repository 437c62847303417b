package dev.wsstudy.cluster;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps the cluster's log lines as {@code LEVEL event k=v ...} strings. */
final class RecordingLog implements ClusterLog {
    final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void info(String event, Object... keyValues) {
        add("INFO", event, keyValues);
    }

    @Override
    public void warn(String event, Object... keyValues) {
        add("WARN", event, keyValues);
    }

    @Override
    public void error(String event, Object... keyValues) {
        add("ERROR", event, keyValues);
    }

    private void add(String level, String event, Object... kv) {
        StringBuilder b = new StringBuilder(level).append(' ').append(event);
        for (int i = 0; i + 1 < kv.length; i += 2) b.append(' ').append(kv[i]).append('=').append(kv[i + 1]);
        lines.add(b.toString());
    }

    boolean has(String prefix) {
        return lines.stream().anyMatch(l -> l.startsWith(prefix));
    }

    @Override
    public String toString() {
        return Arrays.toString(lines.toArray());
    }
}
