package dev.wsstudy.loadgen.measure;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The live heap is read from a real JVM (this one) with the JDK's jcmd, after a full GC. */
class LiveHeapTest {
    private static final long TIMEOUT_MS = 60_000;
    private static final int MIB = 1024 * 1024;

    @Test
    void reachableBytesCountAndGarbageDoesNot() {
        long pid = ProcessHandle.current().pid();
        LiveHeap.Reading before = LiveHeap.read(List.of(pid), TIMEOUT_MS);
        assertThat(before).as("jcmd GC.class_histogram on this JVM").isNotNull();
        byte[][] kept = new byte[48][];
        for (int i = 0; i < kept.length; i++) kept[i] = new byte[MIB];
        for (int i = 0; i < 64; i++) {
            byte[] garbage = new byte[MIB]; // unreachable at once: the full GC must not count it
            garbage[0] = 1;
        }
        LiveHeap.Reading with = LiveHeap.read(List.of(pid), TIMEOUT_MS);
        assertThat(kept[47]).hasSize(MIB); // still reachable at the reading above
        long grown = with.bytes() - before.bytes();
        // 48 MiB kept; other threads of this JVM may add or free a little meanwhile, never 64 MiB.
        assertThat(grown).isBetween(44L * MIB, 100L * MIB);
        assertThat(with.histogramHead()).contains("[B").contains("Total");
    }

    @Test
    void aProcessThatIsNotAJvmHasNoLiveHeap() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try {
            assertThat(LiveHeap.read(List.of(sleeper.pid()), TIMEOUT_MS)).isNull();
        } finally {
            sleeper.destroyForcibly();
        }
    }

    @Test
    void aNonJvmThatCatchesSigquitAsGoDoesIsNeverSignalled() throws Exception {
        // jcmd's attach sends SIGQUIT to a process that catches it; this shell exits on it, as Go does.
        Process go = new ProcessBuilder("bash", "-c", "trap 'exit 2' QUIT; echo ready; sleep 60 & wait").start();
        try {
            assertThat(new java.io.BufferedReader(new java.io.InputStreamReader(go.getInputStream())).readLine())
                    .isEqualTo("ready");
            assertThat(LiveHeap.isJvm(go.pid())).isFalse();
            assertThat(LiveHeap.read(List.of(go.pid()), TIMEOUT_MS)).isNull();
            assertThat(go.isAlive()).as("not signalled").isTrue();
        } finally {
            go.destroyForcibly();
        }
        assertThat(LiveHeap.isJvm(ProcessHandle.current().pid())).isTrue();
    }

    @Test
    void outputWithoutATotalLineIsNotAHistogram() {
        assertThat(LiveHeap.liveBytes("12345:\ncom.sun.tools.attach.AttachNotSupportedException: no such process\n")).isNull();
    }

    @Test
    void fillerObjectsOfTheCollectorAreNotLive() {
        String histogram = """
                12345:
                 num     #instances         #bytes  class name (module)
                -------------------------------------------------------
                   1:           446        7271600  [Ljdk.internal.vm.FillerElement; (java.base@25.0.3)
                   2:         18345        1551112  [B (java.base@25.0.3)
                   3:            10            160  jdk.internal.vm.FillerObject (java.base@25.0.3)
                   4:         17592         422208  java.lang.String (java.base@25.0.3)
                Total         36393        9245080
                """;
        assertThat(LiveHeap.liveBytes(histogram)).isEqualTo(1551112L + 422208L);
    }
}
