package dev.wsstudy.suite;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One suite run's folder, {@code results/<yyyyMMdd'T'HHmmss'Z'>-<suite>/} (docs/results-format.md).
 * The per-trial folders are filled by the runner as it goes; this class writes the files that
 * summarise them: summary.csv, headline.json, report.md, and run.json (written at the start, so a
 * run that is killed still says what it was, and again at the end).
 */
final class RunFolder {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    /** The columns that place a row; the flattened summary.json follows them. */
    static final List<String> LEADING = List.of("suite", "scenario", "scenarioType", "server", "cell", "trial",
            "status", "failureReason", "dir");

    final Path dir;

    RunFolder(Path dir) {
        this.dir = dir;
    }

    /** A new folder under {@code resultsDir}; a second run in the same second gets a suffix. */
    static RunFolder create(Path resultsDir, String suite, Instant started) throws IOException {
        String base = STAMP.format(started) + "-" + suite;
        Path d = resultsDir.resolve(base);
        for (int i = 2; Files.exists(d); i++) {
            d = resultsDir.resolve(base + "-" + i);
        }
        Files.createDirectories(d);
        return new RunFolder(d);
    }

    Path trialDir(String scenario, String server, String cell, int trial) throws IOException {
        return Files.createDirectories(dir.resolve(scenario).resolve(server).resolve(cell).resolve("trial-" + trial));
    }

    String relative(Path p) {
        return dir.relativize(p).toString().replace('\\', '/');
    }

    void writeRunJson(ObjectNode run) throws IOException {
        JSON.writeValue(dir.resolve("run.json").toFile(), run);
    }

    /** Writes summary.csv, headline.json and report.md; returns the report for printing. */
    Report writeSummaries(Suite suite, List<TrialResult> results, ObjectNode run, Instant ended) throws IOException {
        RunInfo.finish(run, ended, results.size(), results.stream().filter(TrialResult::failed).count(),
                results.stream().filter(TrialResult::bottleneck).count(), results.stream().filter(TrialResult::starved).count());
        writeRunJson(run);
        Files.writeString(dir.resolve("summary.csv"), summaryCsv(suite.name(), results));
        List<CellStats> cells = CellStats.group(results);
        ObjectNode headline = Headline.toJson(JSON, cells, suite.targetNames());
        if (!suite.peers().isEmpty()) {
            headline.set("vsPeers", new PeerComparison(cells).toJson(JSON));
        }
        JSON.writeValue(dir.resolve("headline.json").toFile(), headline);
        Report report = new Report(suite, results, run);
        Files.writeString(dir.resolve("report.md"), report.markdown(dir.getFileName().toString()));
        return report;
    }

    /** One row per trial; columns are the union of every trial's summary fields, in first-seen order. */
    static String summaryCsv(String suite, List<TrialResult> results) {
        Set<String> columns = new LinkedHashSet<>();
        results.forEach(r -> r.values().keySet().stream().filter(k -> !LEADING.contains(k)).forEach(columns::add));
        List<String> header = new ArrayList<>(LEADING);
        header.addAll(columns);
        StringBuilder sb = new StringBuilder(Csv.line(header));
        for (TrialResult r : results) {
            List<String> row = new ArrayList<>(List.of(suite, r.scenario(), r.scenarioType(), r.server(), r.cell(),
                    Integer.toString(r.trial()), r.status(), r.failureReason() == null ? "" : r.failureReason(),
                    r.dir()));
            columns.forEach(c -> row.add(r.values().getOrDefault(c, "")));
            sb.append(Csv.line(row));
        }
        return sb.toString();
    }

    /** Reads a stored run's summary.csv back into trials (for compare). */
    static List<TrialResult> readSummaryCsv(Path runDir) throws IOException {
        Path csv = runDir.resolve("summary.csv");
        if (!Files.isRegularFile(csv)) {
            throw new IllegalArgumentException(runDir + ": no summary.csv (is this a suite run folder?)");
        }
        List<TrialResult> out = new ArrayList<>();
        for (var row : Csv.parse(Files.readString(csv))) {
            var values = new java.util.LinkedHashMap<>(row);
            LEADING.forEach(values::remove);
            out.add(new TrialResult(row.get("scenario"), row.get("scenarioType"), row.get("server"), row.get("cell"),
                    Integer.parseInt(row.getOrDefault("trial", "1")), row.get("status"), row.get("failureReason"),
                    row.get("dir"), values));
        }
        return out;
    }
}
