package dev.wsstudy.protocol.session;

import static dev.wsstudy.protocol.testing.Client.concat;
import static dev.wsstudy.protocol.testing.Client.frame;
import static dev.wsstudy.protocol.testing.Client.raw;
import static dev.wsstudy.protocol.testing.Client.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wsstudy.protocol.ProtocolConfig;
import dev.wsstudy.protocol.frame.Opcode;
import dev.wsstudy.protocol.testing.Client;
import dev.wsstudy.protocol.testing.Harness;
import dev.wsstudy.protocol.testing.ServerOutput.Frame;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The case families of the Autobahn|Testsuite (framing 1, pings 2, reserved bits 3, opcodes 4,
 * fragmentation 5, UTF-8 6, close 7, limits 9), driven through a whole session on {@code /echo}.
 * Each test names the cases it stands for; the expectations are the suite's "OK" behaviour.
 */
class ConformanceTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    /** The connection was failed: last frame is a close with {@code code}, TCP closing, state CLOSED. */
    private static void assertFailed(Harness h, int code) {
        assertThat(h.closeCodeSent()).isEqualTo(code);
        assertThat(h.session.state()).isEqualTo(SessionState.CLOSED);
        assertThat(h.transport.closed()).isTrue();
    }

    private static void assertEchoed(List<Frame> frames, int opcode, byte[] payload) {
        assertThat(frames).hasSize(1);
        assertThat(frames.get(0).opcode()).isEqualTo(opcode);
        assertThat(frames.get(0).fin()).isTrue();
        assertThat(frames.get(0).payload()).isEqualTo(payload);
    }

    // ---- 1.x framing ----

    @ParameterizedTest
    @ValueSource(ints = {0, 125, 126, 127, 128, 65535, 65536})
    void case1_1And1_2TextAndBinaryOfEveryLengthClassAreEchoed(int length) {
        Harness h = Harness.echo();
        byte[] text = utf8("*".repeat(length));
        h.feed(frame(Opcode.TEXT, true, text));
        assertEchoed(h.newFrames(), Opcode.TEXT, text);
        byte[] binary = new byte[length];
        new Random(length).nextBytes(binary);
        h.feed(frame(Opcode.BINARY, true, binary));
        assertEchoed(h.newFrames(), Opcode.BINARY, binary);
    }

    @Test
    void case1_1_8And1_2_8MessageArrivingInChopsOf997BytesIsEchoed() {
        Harness h = Harness.echo();
        byte[] payload = new byte[65536];
        new Random(8).nextBytes(payload);
        h.feedInChunks(frame(Opcode.BINARY, true, payload), 997);
        assertEchoed(h.newFrames(), Opcode.BINARY, payload);
    }

    // ---- 2.x ping/pong ----

    @Test
    void case2_1To2_4PingIsAnsweredWithPongCarryingTheSamePayload() {
        for (byte[] payload : new byte[][] {new byte[0], utf8("Hello, world!"), hex("00ff fe fd fc fb 00 ff".replace(" ", "")),
            new byte[125]}) {
            Harness h = Harness.echo();
            h.feed(frame(Opcode.PING, true, payload));
            assertEchoed(h.newFrames(), Opcode.PONG, payload);
        }
    }

    @Test
    void case2_5PingWith126BytesFailsTheConnectionWithoutPong() {
        Harness h = Harness.echo();
        h.feed(frame(Opcode.PING, true, new byte[126]));
        assertThat(h.output().frames()).extracting(Frame::opcode).containsExactly(Opcode.CLOSE);
        assertFailed(h, 1002);
    }

    @Test
    void case2_6PingWith125BytesSentOneByteAtATimeIsAnswered() {
        Harness h = Harness.echo();
        byte[] payload = new byte[125];
        new Random(26).nextBytes(payload);
        h.feedInChunks(frame(Opcode.PING, true, payload), 1);
        assertEchoed(h.newFrames(), Opcode.PONG, payload);
    }

    @Test
    void case2_7To2_9UnsolicitedPongsAreIgnored() {
        Harness h = Harness.echo();
        h.feed(frame(Opcode.PONG, true, new byte[0]), frame(Opcode.PONG, true, utf8("unsolicited")));
        assertThat(h.newFrames()).isEmpty();
        h.feed(frame(Opcode.PING, true, utf8("ping")));
        assertEchoed(h.newFrames(), Opcode.PONG, utf8("ping"));
        assertThat(h.session.isOpen()).isTrue();
    }

    @Test
    void case2_10And2_11TenPingsGetTenPongsInOrder() {
        Harness h = Harness.echo();
        byte[][] pings = new byte[10][];
        for (int i = 0; i < 10; i++) {
            pings[i] = frame(Opcode.PING, true, utf8("payload-" + i));
        }
        h.feedInChunks(concat(pings), 1);
        assertThat(h.newFrames()).extracting(Frame::text)
                .containsExactly("payload-0", "payload-1", "payload-2", "payload-3", "payload-4",
                        "payload-5", "payload-6", "payload-7", "payload-8", "payload-9");
    }

    // ---- 3.x reserved bits ----

    @Test
    void case3_1TextWithRsv1FailsWith1002() {
        Harness h = Harness.echo();
        h.feed(raw(true, 4, Opcode.TEXT, utf8("Hello")));
        assertThat(h.output().frames()).hasSize(1);
        assertFailed(h, 1002);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7})
    void case3_2To3_7FramesBeforeTheBadOneAreEchoedAndNothingAfterIt(int rsv) {
        Harness h = Harness.echo();
        int[] opcodes = {Opcode.TEXT, Opcode.TEXT, Opcode.BINARY, Opcode.PING, Opcode.CLOSE};
        int opcode = opcodes[rsv % opcodes.length];
        byte[] bad = raw(true, rsv, opcode, opcode == Opcode.CLOSE ? new byte[] {3, (byte) 0xE8} : utf8("bad"));
        h.feed(text("small"), bad, frame(Opcode.PING, true, new byte[0]));
        List<Frame> frames = h.output().frames();
        assertThat(frames).extracting(Frame::opcode).containsExactly(Opcode.TEXT, Opcode.CLOSE);
        assertThat(frames.get(0).text()).isEqualTo("small");
        assertFailed(h, 1002);
    }

    // ---- 4.x opcodes ----

    @ParameterizedTest
    @ValueSource(ints = {3, 4, 5, 6, 7, 11, 12, 13, 14, 15})
    void case4_1And4_2ReservedOpcodesFailAfterEarlierFramesWereEchoed(int opcode) {
        Harness h = Harness.echo();
        h.feed(text("first"), raw(true, 0, opcode, utf8("reserved")), frame(Opcode.PING, true, new byte[0]));
        assertThat(h.output().frames()).extracting(Frame::opcode).containsExactly(Opcode.TEXT, Opcode.CLOSE);
        assertFailed(h, 1002);
    }

    // ---- 5.x fragmentation ----

    @Test
    void case5_1And5_2FragmentedPingOrPongFails() {
        for (int opcode : new int[] {Opcode.PING, Opcode.PONG}) {
            Harness h = Harness.echo();
            h.feed(frame(opcode, false, utf8("fragment1")), frame(Opcode.CONTINUATION, true, utf8("fragment2")));
            assertFailed(h, 1002);
        }
    }

    @Test
    void case5_3To5_5TextInTwoFragmentsIsEchoedAsOneMessage() {
        byte[] stream = concat(frame(Opcode.TEXT, false, utf8("fragment1")), frame(Opcode.CONTINUATION, true, utf8("fragment2")));
        for (int chunk : new int[] {stream.length, 1, 3}) {
            Harness h = Harness.echo();
            h.feedInChunks(stream, chunk);
            assertEchoed(h.newFrames(), Opcode.TEXT, utf8("fragment1fragment2"));
        }
    }

    @Test
    void case5_6To5_8PingBetweenFragmentsIsAnsweredFirst() {
        byte[] stream = concat(frame(Opcode.TEXT, false, utf8("fragment1")), frame(Opcode.PING, true, utf8("ping payload")),
                frame(Opcode.CONTINUATION, true, utf8("fragment2")));
        for (int chunk : new int[] {stream.length, 1}) {
            Harness h = Harness.echo();
            h.feedInChunks(stream, chunk);
            List<Frame> frames = h.newFrames();
            assertThat(frames).extracting(Frame::opcode).containsExactly(Opcode.PONG, Opcode.TEXT);
            assertThat(frames.get(0).text()).isEqualTo("ping payload");
            assertThat(frames.get(1).text()).isEqualTo("fragment1fragment2");
        }
    }

    @Test
    void case5_9To5_14ContinuationWithoutAMessageFails() {
        for (boolean fin : new boolean[] {true, false}) {
            for (int chunk : new int[] {1000, 1}) {
                Harness h = Harness.echo();
                h.feedInChunks(concat(frame(Opcode.CONTINUATION, fin, utf8("fragment2")),
                        frame(Opcode.TEXT, true, utf8("fragment1"))), chunk);
                assertThat(h.output().frames()).extracting(Frame::opcode).containsExactly(Opcode.CLOSE);
                assertFailed(h, 1002);
            }
        }
    }

    @Test
    void case5_15ContinuationAfterACompletedMessageFailsAfterTheEcho() {
        Harness h = Harness.echo();
        h.feed(frame(Opcode.TEXT, false, utf8("fragment1")), frame(Opcode.CONTINUATION, true, utf8("fragment2")),
                frame(Opcode.CONTINUATION, false, utf8("fragment3")), frame(Opcode.TEXT, true, utf8("fragment4")));
        List<Frame> frames = h.output().frames();
        assertThat(frames.get(0).text()).isEqualTo("fragment1fragment2");
        assertThat(frames).hasSize(2);
        assertFailed(h, 1002);
    }

    @Test
    void case5_16And5_17RepeatedContinuationWithoutStartFails() {
        Harness h = Harness.echo();
        h.feed(frame(Opcode.CONTINUATION, false, utf8("fragment1")), frame(Opcode.TEXT, false, utf8("fragment2")),
                frame(Opcode.CONTINUATION, true, utf8("fragment3")));
        assertThat(h.output().frames()).hasSize(1);
        assertFailed(h, 1002);
    }

    @Test
    void case5_18NewTextFrameInsideAFragmentedMessageFails() {
        Harness h = Harness.echo();
        h.feed(frame(Opcode.TEXT, false, utf8("fragment1")), frame(Opcode.TEXT, true, utf8("fragment2")));
        assertThat(h.output().frames()).hasSize(1);
        assertFailed(h, 1002);
    }

    @Test
    void case5_19And5_20FiveFragmentsWithPingsBetweenAreReassembled() {
        Harness h = Harness.echo();
        h.feed(frame(Opcode.TEXT, false, utf8("fragment1")), frame(Opcode.CONTINUATION, false, utf8("fragment2")),
                frame(Opcode.PING, true, utf8("pongme 1!")));
        assertThat(h.newFrames()).extracting(Frame::text).containsExactly("pongme 1!");
        h.feed(frame(Opcode.CONTINUATION, false, utf8("fragment3")), frame(Opcode.CONTINUATION, false, utf8("fragment4")),
                frame(Opcode.PING, true, utf8("pongme 2!")), frame(Opcode.CONTINUATION, true, utf8("fragment5")));
        assertThat(h.newFrames()).extracting(Frame::text)
                .containsExactly("pongme 2!", "fragment1fragment2fragment3fragment4fragment5");
    }

    // ---- 6.x UTF-8 ----

    @Test
    void case6_1EmptyTextMessagesIncludingFragmentedOnesAreEchoed() {
        Harness h = Harness.echo();
        h.feed(text(""));
        assertEchoed(h.newFrames(), Opcode.TEXT, new byte[0]);
        h.feed(frame(Opcode.TEXT, false, new byte[0]), frame(Opcode.CONTINUATION, false, new byte[0]),
                frame(Opcode.CONTINUATION, true, new byte[0]));
        assertEchoed(h.newFrames(), Opcode.TEXT, new byte[0]);
        h.feed(frame(Opcode.TEXT, false, new byte[0]), frame(Opcode.CONTINUATION, false, utf8("middle frame payload")),
                frame(Opcode.CONTINUATION, true, new byte[0]));
        assertEchoed(h.newFrames(), Opcode.TEXT, utf8("middle frame payload"));
    }

    @Test
    void case6_2ValidUtf8SplitIntoOneByteFragmentsIsEchoed() {
        byte[] text = utf8("Hello-µ@ßöäüàá-UTF-8!! κόσμε 😀");
        Harness h = Harness.echo();
        byte[][] fragments = new byte[text.length][];
        for (int i = 0; i < text.length; i++) {
            fragments[i] = frame(i == 0 ? Opcode.TEXT : Opcode.CONTINUATION, i == text.length - 1, new byte[] {text[i]});
        }
        h.feed(fragments);
        assertEchoed(h.newFrames(), Opcode.TEXT, text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cebae1bdb9cf83cebcceb5eda080656469746564", "80", "c0af", "e080af", "f08080af", "eda080",
        "f4908080", "fe", "ff", "c2", "e0a0", "f09080", "cebae1bdb9cf83cebcceb5f4908080656469746564"})
    void case6_3To6_22InvalidUtf8FailsWith1007WholeOrInFragments(String invalid) {
        byte[] bytes = hex(invalid);
        Harness whole = Harness.echo();
        whole.feed(frame(Opcode.TEXT, true, bytes));
        assertThat(whole.output().frames()).hasSize(1);
        assertFailed(whole, 1007);
        Harness perByte = Harness.echo();
        for (int i = 0; i < bytes.length; i++) {
            perByte.feed(frame(i == 0 ? Opcode.TEXT : Opcode.CONTINUATION, i == bytes.length - 1, new byte[] {bytes[i]}));
        }
        assertFailed(perByte, 1007);
    }

    @Test
    void case6_4_1And6_4_2InvalidUtf8FailsFastAtTheFragmentThatBreaksIt() {
        Harness h = Harness.echo();
        h.feed(frame(Opcode.TEXT, false, utf8("κόσμε")));
        assertThat(h.session.isOpen()).isTrue();
        h.feed(frame(Opcode.CONTINUATION, false, hex("f4908080"))); // above U+10FFFF
        assertFailed(h, 1007); // before the third fragment is even sent
    }

    @Test
    void case6_4_3And6_4_4InvalidUtf8FailsFastInsideOneFrameArrivingInChops() {
        byte[] payload = concat(utf8("κόσμε"), hex("f4908080"), utf8("edited"));
        byte[] frame = frame(Opcode.TEXT, true, payload);
        int header = frame.length - payload.length;
        int firstChop = header + utf8("κόσμε").length;
        Harness h = Harness.echo();
        h.feedInChunks(java.util.Arrays.copyOf(frame, firstChop), 1000);
        assertThat(h.session.isOpen()).isTrue();
        h.feed(java.util.Arrays.copyOfRange(frame, firstChop, firstChop + 2)); // F4 90: no longer possible
        assertFailed(h, 1007);
    }

    @Test
    void textMessageEndingInsideACharacterFailsWith1007() {
        Harness h = Harness.echo();
        h.feed(frame(Opcode.TEXT, false, utf8("ok")), frame(Opcode.CONTINUATION, true, hex("e282")));
        assertFailed(h, 1007);
    }

    @Test
    void characterSplitAcrossFragmentsIsValid() {
        Harness h = Harness.echo();
        h.feed(frame(Opcode.TEXT, false, hex("e2")), frame(Opcode.CONTINUATION, false, hex("82")),
                frame(Opcode.CONTINUATION, true, hex("ac")));
        assertEchoed(h.newFrames(), Opcode.TEXT, utf8("€"));
    }

    @Test
    void binaryMessagesAreNotUtf8Checked() {
        Harness h = Harness.echo();
        h.feed(Client.binary(hex("eda080ff")));
        assertEchoed(h.newFrames(), Opcode.BINARY, hex("eda080ff"));
    }

    // ---- 7.x close ----

    private static void assertCleanReply(Harness h) {
        assertThat(h.closeCodeSent()).isEqualTo(1000);
        assertThat(h.session.state()).isEqualTo(SessionState.CLOSED);
        assertThat(h.transport.closeAfterFlushCalls()).isEqualTo(1);
        assertThat(h.transport.abortCalls()).isZero();
    }

    @Test
    void case7_1_1CloseIsAnsweredWith1000AndTheServerClosesTcp() {
        Harness h = Harness.echo();
        h.feed(text("Hello World!"), Client.close(1000, ""));
        assertThat(h.output().frames()).extracting(Frame::opcode).containsExactly(Opcode.TEXT, Opcode.CLOSE);
        assertCleanReply(h);
    }

    @Test
    void case7_1_2To7_1_5NothingAfterACloseFrameIsProcessed() {
        Harness h = Harness.echo();
        h.feed(frame(Opcode.TEXT, false, utf8("fragment1")), Client.close(1000, ""), Client.close(1000, ""),
                frame(Opcode.PING, true, new byte[0]), text("after close"), frame(Opcode.CONTINUATION, true, utf8("x")));
        h.feed(frame(Opcode.PING, true, new byte[0]));
        assertThat(h.output().frames()).extracting(Frame::opcode).containsExactly(Opcode.CLOSE);
        assertCleanReply(h);
    }

    @Test
    void case7_1_6LargeMessageBeforeCloseIsEchoedThenClosed() {
        Harness h = Harness.echo();
        byte[] big = utf8("BAsd7&jh23".repeat(26214));
        h.feed(text(new String(big, StandardCharsets.UTF_8)), Client.close(1000, ""), frame(Opcode.PING, true, new byte[0]));
        List<Frame> frames = h.output().frames();
        assertThat(frames).extracting(Frame::opcode).containsExactly(Opcode.TEXT, Opcode.CLOSE);
        assertThat(frames.get(0).payload()).isEqualTo(big);
        assertCleanReply(h);
    }

    @Test
    void case7_3_1EmptyCloseIsAnswered() {
        Harness h = Harness.echo();
        h.feed(frame(Opcode.CLOSE, true, new byte[0]));
        assertCleanReply(h);
    }

    @Test
    void case7_3_2ClosePayloadOfOneByteFails() {
        Harness h = Harness.echo();
        h.feed(frame(Opcode.CLOSE, true, new byte[] {0x03}));
        assertFailed(h, 1002);
    }

    @Test
    void case7_3_3To7_3_5CloseWithCodeAndReasonUpTo123BytesIsAnswered() {
        for (String reason : new String[] {"", "Hello World!", "*".repeat(123)}) {
            Harness h = Harness.echo();
            h.feed(Client.close(1000, reason));
            assertCleanReply(h);
        }
    }

    @Test
    void case7_3_6ClosePayloadOf126BytesFails() {
        Harness h = Harness.echo();
        byte[] payload = concat(new byte[] {0x03, (byte) 0xE8}, utf8("*".repeat(124)));
        h.feed(frame(Opcode.CLOSE, true, payload));
        assertFailed(h, 1002);
    }

    @Test
    void case7_5_1CloseReasonThatIsNotUtf8Fails1007() {
        Harness h = Harness.echo();
        h.feed(frame(Opcode.CLOSE, true, concat(new byte[] {0x03, (byte) 0xE8}, hex("cebae1bdb9cf83cebcceb5eda080656469746564"))));
        assertFailed(h, 1007);
    }

    @ParameterizedTest
    @ValueSource(ints = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999})
    void case7_7ValidCloseCodesAreAnsweredCleanly(int code) {
        Harness h = Harness.echo();
        h.feed(frame(Opcode.CLOSE, true, new byte[] {(byte) (code >> 8), (byte) code}));
        assertCleanReply(h);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1012, 1013, 1014, 1015, 1016, 1100, 2000, 2999, 5000, 65535})
    void case7_9And7_13InvalidCloseCodesFailWith1002(int code) {
        Harness h = Harness.echo();
        h.feed(frame(Opcode.CLOSE, true, new byte[] {(byte) (code >> 8), (byte) code}));
        assertFailed(h, 1002);
    }

    // ---- 9.x limits and big messages ----

    @Test
    void case9_1_6And9_2_6SixteenMebibyteMessageIsAcceptedAtTheDefaultLimit() {
        Harness h = Harness.echo();
        byte[] payload = new byte[16 * 1024 * 1024];
        java.util.Arrays.fill(payload, (byte) '*');
        h.feedInChunks(frame(Opcode.TEXT, true, payload), 65536);
        List<Frame> frames = h.newFrames();
        assertThat(frames).hasSize(1);
        assertThat(frames.get(0).payload()).hasSize(payload.length);
    }

    @Test
    void case9_3And9_4FourMebibytesIn64ByteFragmentsIsReassembled() {
        Harness h = Harness.echo();
        byte[] payload = new byte[4 * 1024 * 1024];
        new Random(93).nextBytes(payload);
        java.io.ByteArrayOutputStream stream = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < payload.length; i += 64) {
            stream.writeBytes(frame(i == 0 ? Opcode.BINARY : Opcode.CONTINUATION, i + 64 >= payload.length,
                    java.util.Arrays.copyOfRange(payload, i, i + 64)));
        }
        h.feedInChunks(stream.toByteArray(), 65536);
        assertEchoed(h.newFrames(), Opcode.BINARY, payload);
    }

    @Test
    void frameOverTheFrameLimitFails1009FromItsHeader() {
        Harness h = Harness.echo(ProtocolConfig.defaults().withMaxFrameBytes(1000));
        byte[] frame = frame(Opcode.BINARY, true, new byte[1001]);
        h.feed(java.util.Arrays.copyOf(frame, 8)); // header and mask only
        assertFailed(h, 1009);
    }

    @Test
    void messageOverTheMessageLimitFails1009AtTheFragmentThatCrossesIt() {
        Harness h = Harness.echo(ProtocolConfig.defaults().withMaxMessageBytes(1000));
        h.feed(frame(Opcode.TEXT, false, new byte[600]));
        assertThat(h.session.isOpen()).isTrue();
        byte[] second = frame(Opcode.CONTINUATION, true, new byte[401]);
        h.feed(java.util.Arrays.copyOf(second, 8));
        assertFailed(h, 1009);
    }

    @Test
    void messageExactlyAtTheLimitIsAccepted() {
        Harness h = Harness.echo(ProtocolConfig.defaults().withMaxMessageBytes(1000));
        h.feed(frame(Opcode.BINARY, false, new byte[600]), frame(Opcode.CONTINUATION, true, new byte[400]));
        assertThat(h.newFrames().get(0).payload()).hasSize(1000);
    }
}
