package dev.wsstudy.suite;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./wsstudy report RUN [--out FILE]}: the report of a stored suite run, derived again from
 * its summary.csv and run.json by this checkout's rules (headline, flags, tables). It never
 * touches the run folder: a committed run stays as it was written, and a rule changed since then
 * (docs/results-format.md says which) can be applied to it in the open.
 */
@Command(name = "wsstudy report", mixinStandardHelpOptions = true,
        description = "Prints the report of a suite run, derived again from its summary.csv and run.json with"
                + " the current rules; the run folder is not changed.")
public final class ReportMain implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN", description = "result folder (or its name under results/)")
    String run;

    @Option(names = "--out", paramLabel = "FILE", description = "also write the report as markdown")
    Path out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ReportMain()).execute(args));
    }

    /** run.json stores the resolved suite, where each scenario's kind is {@code type}; a suite file calls it {@code scenario}. */
    static JsonNode asSuiteFile(JsonNode stored) {
        com.fasterxml.jackson.databind.node.ObjectNode s = stored.deepCopy();
        for (JsonNode sc : s.path("scenarios")) {
            if (sc instanceof com.fasterxml.jackson.databind.node.ObjectNode o && o.has("type") && !o.has("scenario")) {
                o.set("scenario", o.remove("type"));
            }
        }
        return s;
    }

    @Override
    public Integer call() throws IOException {
        Path dir;
        List<TrialResult> trials;
        JsonNode runJson;
        Suite suite;
        try {
            dir = CompareMain.locate(run);
            trials = RunFolder.readSummaryCsv(dir);
            runJson = RunFolder.JSON.readTree(dir.resolve("run.json").toFile());
            JsonNode def = runJson.get("suiteDefinition");
            if (def == null || !def.isObject()) {
                throw new IllegalArgumentException(dir.getFileName() + "/run.json has no suiteDefinition");
            }
            suite = SuiteLoader.parse(asSuiteFile(def).toString(), dir.getFileName() + "/run.json");
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("wsstudy report: " + e.getMessage());
            return 2;
        }
        String md = "<!-- derived again by ./wsstudy report from " + dir.getFileName()
                + "/summary.csv and run.json with this checkout's rules; the run's own report.md is as it was written -->\n"
                + new Report(suite, trials, runJson).markdown(dir.getFileName().toString());
        System.out.print(md);
        if (out != null) {
            Files.writeString(out, md);
            System.err.println("Written to " + out);
        }
        return 0;
    }
}
