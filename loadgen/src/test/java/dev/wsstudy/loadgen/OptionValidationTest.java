package dev.wsstudy.loadgen;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad options end with exit code 2, a clear message, and no output folder contents. */
class OptionValidationTest {
    private static String runExpectingUsageError(Path out, String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true));
        try {
            String[] all = new String[args.length + 2];
            all[0] = "run";
            all[1] = "--out=" + out.resolve("r");
            System.arraycopy(args, 0, all, 2, args.length);
            assertThat(Main.execute(all)).isEqualTo(2);
        } finally {
            System.setErr(old);
        }
        assertThat(out.resolve("r")).doesNotExist();
        return err.toString();
    }

    @Test
    void anUnknownTransportIsRefused(@TempDir Path out) {
        assertThat(runExpectingUsageError(out, "--scenario=echo-closed", "--url=ws://127.0.0.1:1/echo", "--transport=kqueue"))
                .contains("--transport must be auto, epoll, io_uring or nio");
    }

    @Test
    void aNonLoopbackTargetIsRefusedWithoutAllowRemote(@TempDir Path out) {
        assertThat(runExpectingUsageError(out, "--scenario=echo-closed", "--url=ws://192.0.2.1:8080/echo"))
                .contains("not in 127.0.0.0/8").contains("--allow-remote");
    }

    @Test
    void everyTargetOfASeveralTargetUrlIsChecked(@TempDir Path out) {
        assertThat(runExpectingUsageError(out, "--scenario=broadcast", "--rate=10",
                "--url=ws://127.0.0.1:1/chat,ws://192.0.2.1:8080/chat")).contains("192.0.2.1").contains("not in 127.0.0.0/8");
        assertThat(runExpectingUsageError(out, "--scenario=broadcast", "--rate=10",
                "--url=ws://127.0.0.1:1/chat,ws://127.0.0.1:2/echo")).contains("must end with /chat");
    }

    @Test
    void aRunLongerThanTheSafetyCapIsRefused(@TempDir Path out) {
        assertThat(runExpectingUsageError(out, "--scenario=echo-closed", "--url=ws://127.0.0.1:1/echo",
                "--duration-s=100", "--max-duration-s=60")).contains("exceeds --max-duration-s 60");
    }

    @Test
    void aConnectionRampLongerThanTheSafetyCapIsRefused(@TempDir Path out) {
        assertThat(runExpectingUsageError(out, "--scenario=idle-connections", "--url=ws://127.0.0.1:1/echo",
                "--connections=1000", "--connect-rate=1", "--max-duration-s=60")).contains("--connect-rate");
    }

    @Test
    void anUnknownScenarioIsNamedWithTheKnownOnes(@TempDir Path out) {
        assertThat(runExpectingUsageError(out, "--scenario=nope", "--url=ws://127.0.0.1:1/echo"))
                .contains("unknown scenario 'nope'").contains("echo-closed");
    }

    @Test
    void echoRateNeedsARate(@TempDir Path out) {
        assertThat(runExpectingUsageError(out, "--scenario=echo-rate", "--url=ws://127.0.0.1:1/echo")).contains("--rate");
    }

    @Test
    void aPayloadTooSmallForTheTimingHeaderIsRefused(@TempDir Path out) {
        assertThat(runExpectingUsageError(out, "--scenario=echo-closed", "--url=ws://127.0.0.1:1/echo", "--payload-bytes=8"))
                .contains("--payload-bytes must be >= 24");
    }

    @Test
    void moreConnectionsThanOneProcessMayOpenAskForWorkers(@TempDir Path out) {
        assertThat(runExpectingUsageError(out, "--scenario=echo-closed", "--url=ws://127.0.0.1:1/echo", "--connections=40000"))
                .contains("--workers >= 3");
    }

    @Test
    void aChatScenarioNeedsTheChatPath(@TempDir Path out) {
        assertThat(runExpectingUsageError(out, "--scenario=broadcast", "--url=ws://127.0.0.1:1/echo", "--rate=10"))
                .contains("/chat");
    }
}
