package dev.wsstudy.loadgen;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/** The generator's own log: timestamped lines to {@code loadgen.log} and to stderr. */
public final class Log implements AutoCloseable {
    private final PrintStream file;
    private final String prefix;

    public Log(Path file, String prefix) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        this.file = new PrintStream(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND), true, "UTF-8");
        this.prefix = prefix;
    }

    public synchronized void info(String fmt, Object... args) {
        String line = Instant.now() + " " + prefix + " " + String.format(java.util.Locale.ROOT, fmt, args);
        file.println(line);
        System.err.println(line);
    }

    @Override public void close() {
        file.close();
    }
}
