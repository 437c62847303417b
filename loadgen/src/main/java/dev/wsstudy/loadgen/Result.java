package dev.wsstudy.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsstudy.loadgen.measure.HlogFiles;
import dev.wsstudy.loadgen.measure.LiveHeap;
import dev.wsstudy.loadgen.measure.ProcStat;
import dev.wsstudy.loadgen.scenario.Scenario;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** Everything a run produced, gathered from all processes' folders and the server samples. */
final class Result {
    final RunOptions o;
    Scenario scenario;
    Instant startedAt;
    long startEpochMs;
    ProcStat serverBefore, serverAfter;
    /** The server's live heap (after a full GC) at the end of the hold and after closing, or null. */
    volatile LiveHeap.Reading liveHeapEnd, liveHeapAfterClose;
    Integer socketsBefore, socketsAfter;
    List<ProcStat> serverSamples = List.of();
    JsonNode statsBefore, statsAfter;
    List<Path> shareDirs = List.of();
    List<ShareReport> reports = new ArrayList<>();
    TreeMap<Integer, Histogram> corrected = new TreeMap<>(), uncorrected = new TreeMap<>(), lag = new TreeMap<>();
    Histogram setup = new Histogram(1, 60_000_000L, 3);
    /** Several targets: measured-period latency between members on different nodes / the same node. */
    Histogram crossNode = new Histogram(1, 60_000_000L, 3), sameNode = new Histogram(1, 60_000_000L, 3);
    String failureReason;
    boolean bottleneck;
    String bottleneckReason;

    Result(RunOptions o) {
        this.o = o;
    }

    void fail(String reason) {
        if (failureReason == null) failureReason = reason;
    }

    String status() {
        return failureReason != null ? "failed" : bottleneck ? "loadgen-bottleneck" : "ok";
    }

    /** Reads every process's share.json and adds their interval logs interval by interval. */
    void load() throws IOException {
        List<Path> present = new ArrayList<>();
        for (Path d : shareDirs) {
            if (Files.exists(d.resolve(Share.REPORT))) {
                reports.add(Share.readReport(d));
                present.add(d);
            } else {
                fail("no results from " + d.getFileName() + " (worker failed; see its stderr.txt / loadgen.log)");
            }
        }
        corrected = HlogFiles.merge(HlogFiles.each(present, HlogFiles.CORRECTED), startEpochMs);
        uncorrected = HlogFiles.merge(HlogFiles.each(present, HlogFiles.UNCORRECTED), startEpochMs);
        lag = HlogFiles.merge(HlogFiles.each(present, HlogFiles.LAG), startEpochMs);
        HlogFiles.merge(HlogFiles.each(present, HlogFiles.SETUP), startEpochMs).values().forEach(setup::add);
        HlogFiles.merge(HlogFiles.each(present, HlogFiles.CROSS_NODE), startEpochMs).values().forEach(crossNode::add);
        HlogFiles.merge(HlogFiles.each(present, HlogFiles.SAME_NODE), startEpochMs).values().forEach(sameNode::add);
    }
}
