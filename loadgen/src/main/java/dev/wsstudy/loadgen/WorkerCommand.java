package dev.wsstudy.loadgen;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * Internal: one extra process of {@code run --workers K}. Talks to the coordinating process over
 * stdin/stdout, one line each: it prints {@code READY} (or {@code FAILED reason}) after
 * connecting, waits for {@code GO <startNanos> <startEpochMs>} (System.nanoTime is the machine's
 * monotonic clock, shared by all processes), runs, writes its folder and prints {@code DONE}.
 */
@Command(name = "worker", hidden = true, description = "internal: one process of run --workers K")
public final class WorkerCommand implements Callable<Integer> {
    @Mixin RunOptions o;
    @Option(names = "--share-index", required = true) int shareIndex;
    @Option(names = "--share-count", required = true) int shareCount;

    @Override public Integer call() throws Exception {
        try (Log log = new Log(o.out.resolve("loadgen.log"), "worker-" + shareIndex);
             Share share = new Share(o, shareIndex, shareCount, Sources.resolve(o), o.out, log)) {
            try {
                share.connect();
            } catch (Exception e) {
                log.info("connect failed: %s", e.getMessage());
                System.out.println("FAILED " + String.valueOf(e.getMessage()).replace('\n', ' '));
                return 1;
            }
            System.out.println("READY");
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line = in.readLine();
            if (line == null || !line.startsWith("GO ")) {
                log.info("no GO from the coordinator (%s): exiting", line);
                return 1;
            }
            String[] p = line.split(" ");
            share.run(Long.parseLong(p[1]), Long.parseLong(p[2]));
            System.out.println("DONE");
            System.out.flush();
            return 0;
        }
    }
}
