package dev.wsstudy.suite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ReportMainTest {
    @TempDir
    Path tmp;

    @Test
    void theReportIsDerivedAgainFromTheStoredRunWithoutTouchingIt() throws Exception {
        Suite suite = RunFolderTest.suite();
        RunFolder f = RunFolder.create(tmp, suite.name(), Instant.now());
        ObjectNode run = RunInfo.collect(RunFolder.JSON, SuiteLoaderTest.ROOT, suite, Pinning.detect(true, 2),
                "./wsstudy suite t", Instant.now());
        run.set("suiteDefinition", RunFolder.JSON.valueToTree(suite));
        f.writeRunJson(run);
        f.writeSummaries(suite, RunFolderTest.results(), run, Instant.now());
        Map<Path, String> before = contents(f.dir);

        Path out = tmp.resolve("again.md");
        int rc = new CommandLine(new ReportMain()).execute(f.dir.toString(), "--out", out.toString());

        assertThat(rc).isZero();
        String again = Files.readString(out);
        assertThat(again).startsWith("<!-- derived again by ./wsstudy report from " + f.dir.getFileName());
        // Same rules, same data: the body is the report the run wrote.
        assertThat(again.substring(again.indexOf('\n') + 1)).isEqualTo(Files.readString(f.dir.resolve("report.md")));
        assertThat(contents(f.dir)).isEqualTo(before);
    }

    @Test
    void aFolderThatIsNotARunExitsTwo() throws Exception {
        assertThat(new CommandLine(new ReportMain()).execute(tmp.resolve("nope").toString())).isEqualTo(2);
        Files.writeString(tmp.resolve("summary.csv"), "suite,scenario\n");
        Files.writeString(tmp.resolve("run.json"), "{}");
        assertThat(new CommandLine(new ReportMain()).execute(tmp.toString())).isEqualTo(2);
    }

    private static Map<Path, String> contents(Path dir) throws Exception {
        Map<Path, String> m = new HashMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(dir.relativize(p), Files.readString(p));
            }
        }
        return m;
    }
}
