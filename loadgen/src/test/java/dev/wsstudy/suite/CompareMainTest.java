package dev.wsstudy.suite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** compare reads two stored run folders (their summary.csv and run.json), not live objects. */
class CompareMainTest {
    @TempDir
    Path tmp;

    private Path store(String name, List<TrialResult> trials, List<String> serverFlags) throws Exception {
        Suite s = SuiteLoader.parse("""
                {"name":"%s","trials":3,"servers":["eventloop"],"serverJvmFlags":%s,
                 "scenarios":[{"scenario":"echo-rate","params":{"rate":[1000]}}]}"""
                .formatted(name, RunFolder.JSON.writeValueAsString(serverFlags)), "t");
        RunFolder f = RunFolder.create(tmp, name, Instant.now());
        ObjectNode run = RunInfo.collect(RunFolder.JSON, SuiteLoaderTest.ROOT, s, Pinning.detect(false, 2), "t",
                Instant.now());
        f.writeSummaries(s, trials, run, Instant.now());
        return f.dir;
    }

    @Test
    void storedRunsAreComparedCellByCellWithConditionsThatDiffer() throws Exception {
        Path a = store("a", Summaries.trials("eventloop", "rate=1000", 400, 420, 440), List.of("-Xmx1g"));
        List<TrialResult> slower = new ArrayList<>(Summaries.trials("eventloop", "rate=1000", 800, 820, 900));
        Path b = store("b", slower, List.of("-Xmx2g"));
        Path md = tmp.resolve("cmp.md");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = new CommandLine(new CompareMain()).execute(a.toString(), b.toString(), "--out", md.toString());
        } finally {
            System.setOut(old);
        }
        assertThat(code).isZero();
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("eventloop · rate=1000").contains("+95.2%").contains("beyond spread: worse")
                .contains("within noise").contains("serverJvmFlags: A [\"-Xmx1g\"], B [\"-Xmx2g\"]");
        assertThat(md).content().contains("# compare: A = " + a.getFileName() + ", B = " + b.getFileName());
    }

    @Test
    void aFolderThatIsNotARunIsAClearError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = new CommandLine(new CompareMain()).execute(tmp.toString(), "no-such-run");
        } finally {
            System.setErr(old);
        }
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no-such-run: no such result folder");
    }
}
