package dev.wsstudy.suite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RunInfoMainTest {
    @TempDir
    Path tmp;

    @Test
    void startWritesTheSuitesMetadataIntoANewTimestampedFolderAndFinishCompletesIt() throws IOException {
        int rc = new CommandLine(new RunInfoMain()).execute("start", "--name", "jmh-short", "--kind", "jmh",
                "--results-dir", tmp.toString(), "--command-line", "./wsstudy bench short",
                "--jvm-flags", "-Xms1g  -Xmx1g", "--field", "profile=short",
                "--", "-f", "1", "-jvmArgs", "-Xms1g -Xmx1g");
        assertThat(rc).isZero();
        List<Path> dirs;
        try (Stream<Path> s = Files.list(tmp)) {
            dirs = s.toList();
        }
        assertThat(dirs).hasSize(1);
        assertThat(dirs.get(0).getFileName().toString()).matches("\\d{8}T\\d{6}Z-jmh-short");

        JsonNode r = RunFolder.JSON.readTree(dirs.get(0).resolve("run.json").toFile());
        for (String p : List.of("/git/commit", "/git/dirty", "/jdk/vendor", "/jdk/version", "/os/name", "/os/kernel",
                "/cpu/model", "/cpu/cores", "/commandLine", "/startedAt")) {
            assertThat(r.at(p).isMissingNode() || r.at(p).isNull()).as(p).isFalse();
        }
        assertThat(r.at("/kind").asText()).isEqualTo("jmh");
        assertThat(r.at("/profile").asText()).isEqualTo("short");
        assertThat(r.at("/endedAt").isNull()).isTrue();
        assertThat(RunFolder.JSON.convertValue(r.get("jvmFlags"), List.class)).containsExactly("-Xms1g", "-Xmx1g");
        assertThat(RunFolder.JSON.convertValue(r.get("toolArgs"), List.class))
                .containsExactly("-f", "1", "-jvmArgs", "-Xms1g -Xmx1g");

        rc = new CommandLine(new RunInfoMain()).execute("finish", "--dir", dirs.get(0).toString(), "--exit-code", "3");
        assertThat(rc).isZero();
        r = RunFolder.JSON.readTree(dirs.get(0).resolve("run.json").toFile());
        assertThat(r.at("/endedAt").asText()).isNotEmpty();
        assertThat(r.at("/exitCode").asInt()).isEqualTo(3);
        assertThat(r.at("/git/commit").asText()).matches("[0-9a-f]{40}");
        assertThat(r.at("/kind").asText()).isEqualTo("jmh");
    }

    @Test
    void finishRefusesAFolderWithoutRunJson() {
        int rc = new CommandLine(new RunInfoMain()).execute("finish", "--dir", tmp.toString(), "--exit-code", "0");
        assertThat(rc).isEqualTo(2);
    }
}
