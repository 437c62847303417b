package dev.wsstudy.suite;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The cross-check's defaults (docs/crosscheck.md): what runs when the user names nothing. */
class CrosscheckMainTest {
    static CrosscheckMain parse(String... args) {
        CrosscheckMain m = new CrosscheckMain();
        new CommandLine(m).parseArgs(args);
        return m;
    }

    @Test
    void byDefaultAThreadPerConnectionServerWaitsTwoMillisecondsPerMessage() {
        CrosscheckMain m = parse();
        assertThat(Suite.canonicalKind(m.server)).isEqualTo(Suite.canonicalKind("virtual"));
        assertThat(m.serverArgs(Suite.canonicalKind(m.server))).containsExactly("--work-block-ms=2");
        assertThat(m.trials).isEqualTo(3);
        assertThat(m.tsungErlFlags).as("tsung as packaged").isEmpty();
        assertThat(parse("--tsung-erl-flags=" + CrosscheckMain.BUSY_WAIT).tsungErlFlags).contains("+sbwt very_long");
        assertThat(parse("threaded").serverArgs("threaded")).containsExactly("--work-block-ms=2");
    }

    @Test
    void theEventLoopGetsNoBlockingWorkByDefaultBecauseItWouldStallEveryConnection() {
        assertThat(parse("eventloop").serverArgs("eventloop")).isEmpty();
    }

    @Test
    void givenServerOptionsReplaceTheDefaultAndAnEmptyOneMeansNone() {
        assertThat(parse("--server-arg=--work-cpu-us=10").serverArgs("virtualthread")).containsExactly("--work-cpu-us=10");
        assertThat(parse("--server-arg=").serverArgs("virtualthread")).containsExactly("");
    }
}
