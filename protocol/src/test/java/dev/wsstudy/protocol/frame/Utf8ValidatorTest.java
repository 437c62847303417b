package dev.wsstudy.protocol.frame;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 3629 / RFC 6455 §8.1: incremental validation, failing at the first impossible byte. */
class Utf8ValidatorTest {

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    /** The JDK's strict decoder: the oracle for whole inputs. */
    private static boolean jdkValid(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** Whether some continuation (at most 3 bytes, from each range class) completes {@code prefix}. */
    private static boolean canBeCompleted(byte[] prefix) {
        if (jdkValid(prefix)) {
            return true;
        }
        int[] samples = {0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF};
        for (int n = 1; n <= 3; n++) {
            int combos = (int) Math.pow(samples.length, n);
            for (int c = 0; c < combos; c++) {
                byte[] candidate = java.util.Arrays.copyOf(prefix, prefix.length + n);
                int x = c;
                for (int k = 0; k < n; k++) {
                    candidate[prefix.length + k] = (byte) samples[x % samples.length];
                    x /= samples.length;
                }
                if (jdkValid(candidate)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Index of the byte at which byte-by-byte feeding fails, or -1. */
    private static int failIndex(byte[] bytes) {
        Utf8Validator v = new Utf8Validator();
        for (int i = 0; i < bytes.length; i++) {
            if (!v.update(bytes, i, i + 1)) {
                return i;
            }
        }
        return -1;
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "48656c6c6f", "cebae1bdb9cf83cebcceb5", // "κόσμε"
        "c280", "dfbf", "e0a080", "efbfbf", "f0908080", "f48fbfbf", // first/last of each length
        "ed9fbf", "ee8080", "efbfbe", // around the surrogates, noncharacters are valid
        "00", "7f"})
    void wellFormedSequencesAreAccepted(String hex) {
        byte[] bytes = hex(hex);
        assertThat(Utf8Validator.isValid(bytes, 0, bytes.length)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "80", "bf", "c0af", "c1bf", "e080af", "f08080af", // lone continuations and overlongs
        "eda080", "edbfbf", // UTF-16 surrogates
        "f4908080", "f5808080", "fe", "ff", // above U+10FFFF, never-used bytes
        "c2", "e0a0", "f09080", // cut off at the end
        "cebae1bdb9cf83cebcceb5eda080656469746564"}) // Autobahn 6.3.1's payload
    void illFormedSequencesAreRejected(String hex) {
        byte[] bytes = hex(hex);
        assertThat(Utf8Validator.isValid(bytes, 0, bytes.length)).isFalse();
    }

    @Test
    void surrogateIsRejectedAtItsSecondByteNotAtTheEndOfTheMessage() {
        byte[] bytes = hex("cebae1bdb9cf83cebcceb5eda080656469746564");
        assertThat(failIndex(bytes)).isEqualTo(12); // ED is possible, ED A0 is not
    }

    @Test
    void codePointAboveU10FFFFIsRejectedAtItsSecondByte() {
        assertThat(failIndex(hex("41f4908080"))).isEqualTo(2);
    }

    @Test
    void truncatedSequenceIsIncompleteButNotRejected() {
        Utf8Validator v = new Utf8Validator();
        assertThat(v.update(hex("41e282"), 0, 3)).isTrue();
        assertThat(v.isComplete()).isFalse();
        assertThat(v.isRejected()).isFalse();
        assertThat(v.update(hex("ac"), 0, 1)).isTrue(); // € completed in the next fragment
        assertThat(v.isComplete()).isTrue();
    }

    @Test
    void randomInputsAgreeWithTheJdkDecoderAndFailAtTheFirstImpossibleByte() {
        Random random = new Random(6455);
        byte[][] pieces = {hex("41"), hex("c3a9"), hex("e282ac"), hex("f09f9880"), hex("eda080"), hex("c0"),
            hex("80"), hex("f4"), hex("e0"), hex("ed"), hex("f0"), hex("bf"), hex("9f"), hex("8f")};
        for (int round = 0; round < 1000; round++) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            int n = random.nextInt(8);
            for (int i = 0; i < n; i++) {
                if (random.nextInt(5) == 0) {
                    out.write(random.nextInt(256));
                } else {
                    byte[] p = pieces[random.nextInt(pieces.length)];
                    out.write(p, 0, p.length);
                }
            }
            byte[] bytes = out.toByteArray();
            assertThat(Utf8Validator.isValid(bytes, 0, bytes.length)).as(HexFormat.of().formatHex(bytes))
                    .isEqualTo(jdkValid(bytes));
            int expectedFail = -1;
            for (int i = 1; i <= bytes.length; i++) {
                if (!canBeCompleted(java.util.Arrays.copyOf(bytes, i))) {
                    expectedFail = i - 1;
                    break;
                }
            }
            assertThat(failIndex(bytes)).as("fail index of %s", HexFormat.of().formatHex(bytes)).isEqualTo(expectedFail);
        }
    }

    @Test
    void stateSurvivesEverySplitOfAMultiByteText() {
        byte[] bytes = "aé€😀z κόσμε".getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut <= bytes.length; cut++) {
            Utf8Validator v = new Utf8Validator();
            assertThat(v.update(bytes, 0, cut)).isTrue();
            assertThat(v.update(bytes, cut, bytes.length)).isTrue();
            assertThat(v.isComplete()).as("cut at %d", cut).isTrue();
        }
    }

    @Test
    void asciiFastPathDoesNotSkipAnInvalidByteInsideAWord() {
        for (int at = 0; at < 24; at++) {
            byte[] bytes = "abcdefghijklmnopqrstuvwx".getBytes(StandardCharsets.US_ASCII);
            bytes[at] = (byte) 0xFF;
            assertThat(Utf8Validator.isValid(bytes, 0, bytes.length)).isFalse();
            assertThat(failIndex(bytes)).isEqualTo(at);
            ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length + 3).position(3);
            direct.put(bytes).position(3);
            assertThat(Utf8Validator.isValid(direct)).as("direct, bad byte at %d", at).isFalse();
            assertThat(Utf8Validator.isValid(direct.slice(3, at))).isTrue();
        }
    }

    @Test
    void directBufferIsValidatedLikeAnArray() {
        byte[] good = "grüße".getBytes(StandardCharsets.UTF_8);
        ByteBuffer direct = ByteBuffer.allocateDirect(good.length + 1).put(good).put((byte) 0xC0).flip();
        assertThat(Utf8Validator.isValid(direct.slice(0, good.length))).isTrue();
        assertThat(Utf8Validator.isValid(direct)).isFalse();
        assertThat(direct.position()).isZero();
    }

    /** Feeding {@code bytes[0, k)} in one call (array and direct buffer) fails exactly when k > failAt (-1: never). */
    private static void assertPrefixesRejectedExactlyAfter(byte[] bytes, int failAt, String what) {
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        int firstRejectedArray = -1;
        int firstRejectedDirect = -1;
        for (int k = bytes.length; k >= 0; k--) { // plain loop, one assertion: this runs ~100,000 times
            if (!new Utf8Validator().update(bytes, 0, k)) {
                firstRejectedArray = k - 1;
            }
            if (!new Utf8Validator().update(direct.slice(0, k))) {
                firstRejectedDirect = k - 1;
            }
        }
        assertThat(new int[] {firstRejectedArray, firstRejectedDirect}).as(what).containsExactly(failAt, failAt);
    }

    @Test
    void fastPathsHandOverAtTheExactByteForEveryPositionOfTheFirstNonAsciiByte() {
        String[] valid = {"c3a9", "e282ac", "e0a080", "ed9fbf", "f09f9880", "f48fbfbf"};
        String[] invalid = {"80", "bf", "c0af", "c1", "f5", "ff", "e080", "eda0", "f08f", "f490", "c341", "e28241",
            "e08080", "eda080", "f08f8080", "f4908080",
            "f09f41"};
        for (int at = 0; at <= 80; at++) {
            for (String seq : valid) {
                byte[] bytes = asciiAround(at, hex(seq));
                assertThat(Utf8Validator.isValid(bytes, 0, bytes.length)).as("%s at %d", seq, at).isTrue();
                assertPrefixesRejectedExactlyAfter(bytes, -1, seq + " at " + at);
                // Cut at every byte of the character: the open character is carried into the next call.
                for (int cut = at; cut <= at + seq.length() / 2; cut++) {
                    Utf8Validator v = new Utf8Validator();
                    assertThat(v.update(bytes, 0, cut) && v.update(bytes, cut, bytes.length) && v.isComplete())
                            .as("%s at %d cut at %d", seq, at, cut).isTrue();
                }
            }
            for (String seq : invalid) {
                byte[] bytes = asciiAround(at, hex(seq));
                int failAt = failIndex(bytes);
                assertThat(failAt).as("%s at %d", seq, at).isBetween(at, at + seq.length() / 2 - 1);
                assertPrefixesRejectedExactlyAfter(bytes, failAt, seq + " at " + at);
            }
        }
    }

    /** {@code at} ASCII letters, {@code middle}, then 70 more letters (so every word-sized path is used). */
    private static byte[] asciiAround(int at, byte[] middle) {
        byte[] bytes = new byte[at + middle.length + 70];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) ('a' + i % 26);
        }
        System.arraycopy(middle, 0, bytes, at, middle.length);
        return bytes;
    }

    @Test
    void longMixedInputsInOneCallRejectAtTheSameByteAsTheAutomatonFedByteByByte() {
        Random random = new Random(3629);
        byte[][] pieces = {hex("c3a9"), hex("e282ac"), hex("f09f9880"), hex("e4b8ad"), hex("eda080"), hex("c0"),
            hex("80"), hex("f4"), hex("e0"), hex("ed"), hex("f0"), hex("bf")};
        for (int round = 0; round < 300; round++) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            int n = 1 + random.nextInt(6);
            for (int i = 0; i < n; i++) {
                int run = random.nextInt(4) == 0 ? random.nextInt(100) : random.nextInt(9);
                for (int k = 0; k < run; k++) {
                    out.write(0x20 + random.nextInt(0x5F));
                }
                // Mostly valid characters, so that most inputs get past several of them.
                byte[] p = random.nextInt(8) == 0 ? pieces[random.nextInt(pieces.length)] : pieces[random.nextInt(4)];
                out.write(p, 0, p.length);
            }
            byte[] bytes = out.toByteArray();
            int failAt = failIndex(bytes);
            assertThat(Utf8Validator.isValid(bytes, 0, bytes.length)).isEqualTo(jdkValid(bytes));
            assertPrefixesRejectedExactlyAfter(bytes, failAt, HexFormat.of().formatHex(bytes));
        }
    }

    @Test
    void rejectedValidatorStaysRejectedEvenForEmptyInput() {
        Utf8Validator v = new Utf8Validator();
        assertThat(v.update(hex("ff"), 0, 1)).isFalse();
        assertThat(v.update(new byte[0], 0, 0)).isFalse();
        assertThat(v.update(ByteBuffer.allocateDirect(0))).isFalse();
        assertThat(v.update(hex("41"), 0, 1)).isFalse();
    }
}
