package dev.wsstudy.suite;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The suite end-to-end tests' shared set-up: the checkout with the jar a test starts (skipped
 * where it is not packaged), the real loadgen as its own JVM from the test classpath (its jar is
 * packaged after this module's tests), and a runner pinned as a real run is, its console captured.
 */
final class SuiteFixture {
    private SuiteFixture() {}

    /** The checkout, or the test is skipped when {@code jar} (relative to it) is not packaged. */
    static Path rootWith(String jar) {
        Path root = RepoRoot.find();
        // `mvn test` stops before any jar is packaged; verify/install (CI) always has it.
        assumeTrue(Files.isRegularFile(root.resolve(jar)), jar + " not packaged (run verify or install, not test)");
        return root;
    }

    /** {@link #rootWith} the event-loop server's runnable jar ({@link RepoRoot#moduleJar}). */
    static Path rootWithEventLoopServer() {
        return rootWith("eventloop-server/target/eventloop-server.jar");
    }

    /** The loadgen's command line: this JVM's java with this test's classpath. */
    static List<String> loadgen() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), "dev.wsstudy.loadgen.Main");
    }

    /** A finished run: the runner (its results), the run folder, and what it printed to stdout and stderr. */
    record Ran(SuiteRunner runner, RunFolder folder, String out, String err) {
        TrialResult result(int i) {
            return runner.results().get(i);
        }
    }

    /** Runs the suite {@code json} (named {@code source}) from {@code root} into {@code results}. */
    static Ran run(Path root, Path results, String json, String source) throws IOException {
        Suite suite = SuiteLoader.parse(json, source);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        SuiteRunner runner = new SuiteRunner(new SuiteRunner.Options(root, results,
                Pinning.detect(true, Runtime.getRuntime().availableProcessors()), loadgen(), "test",
                new PrintStream(out, true), new PrintStream(err, true)));
        RunFolder folder = runner.run(Plan.of(suite));
        return new Ran(runner, folder, out.toString(), err.toString());
    }
}
