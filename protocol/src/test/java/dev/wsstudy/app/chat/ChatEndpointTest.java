package dev.wsstudy.app.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsstudy.app.AppConfig;
import dev.wsstudy.app.Router;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The /chat wire protocol of docs/wire-protocol.md, through real sessions. */
class ChatEndpointTest {
    private Router router;
    private RoomRegistry rooms;

    @BeforeEach
    void setUp() {
        router = Router.standard(AppConfig.defaults());
        rooms = router.rooms();
    }

    private ChatClient joined(String clientId, String roomId) {
        ChatClient c = new ChatClient(router);
        c.send("{\"type\":\"init\",\"clientId\":\"" + clientId + "\",\"roomId\":\"" + roomId + "\"}");
        assertThat(c.received()).hasSize(1).first().asString().startsWith("{\"type\":\"welcome\"");
        return c;
    }

    @Test
    void initIsWelcomedWithTheMemberCountAndAnnouncedToTheOthers() {
        ChatClient alice = joined("alice", "lobby");
        ChatClient bob = new ChatClient(router);
        bob.send("{\"type\":\"init\",\"clientId\":\"bob\",\"roomId\":\"lobby\"}");
        assertThat(bob.received()).containsExactly("{\"type\":\"welcome\",\"clientId\":\"bob\",\"roomId\":\"lobby\",\"members\":2}");
        assertThat(alice.received()).containsExactly("{\"type\":\"join\",\"clientId\":\"bob\",\"roomId\":\"lobby\"}");
        assertThat(rooms.membersOf("lobby")).isEqualTo(2);
        assertThat(rooms.clientCount()).isEqualTo(2);
    }

    @Test
    void chatReachesEveryMemberIncludingTheSenderWithTheBodyVerbatim() {
        ChatClient alice = joined("alice", "lobby");
        ChatClient bob = joined("bob", "lobby");
        ChatClient carol = joined("carol", "elsewhere");
        alice.received();
        String body = "{\"n\" : [1, 2.50e3, -0.0], \"s\":\"caf\\u00e9 \\\"q\\\"\", \"z\":null}";
        bob.send("{ \"type\" : \"chat\", \"body\" : " + body + " , \"extra\": true }");
        String expected = "{\"type\":\"chat\",\"roomId\":\"lobby\",\"from\":\"bob\",\"body\":" + body + "}";
        assertThat(alice.received()).containsExactly(expected);
        assertThat(bob.received()).containsExactly(expected);
        assertThat(carol.received()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"text\"", "42", "-1.5e-7", "true", "null", "[]", "{}", "[{\"a\":[[]]}]"})
    void anyJsonValueIsABody(String body) {
        ChatClient alice = joined("alice", "r");
        alice.send("{\"type\":\"chat\",\"body\":" + body + "}");
        assertThat(alice.received()).containsExactly("{\"type\":\"chat\",\"roomId\":\"r\",\"from\":\"alice\",\"body\":" + body + "}");
    }

    @Test
    void bodyFirstAndTypeLastAlsoWorks() {
        ChatClient alice = joined("alice", "r");
        alice.send("{\"body\":{\"k\":1},\"roomId\":\"r\",\"type\":\"chat\"}");
        assertThat(alice.received()).containsExactly("{\"type\":\"chat\",\"roomId\":\"r\",\"from\":\"alice\",\"body\":{\"k\":1}}");
    }

    @Test
    void joinAndChatInASecondRoomAndLeaveIt() {
        ChatClient alice = joined("alice", "lobby");
        ChatClient bob = joined("bob", "r2");
        alice.received();
        alice.send("{\"type\":\"join\",\"roomId\":\"r2\"}");
        assertThat(alice.received()).containsExactly("{\"type\":\"joined\",\"roomId\":\"r2\",\"members\":2}");
        assertThat(bob.received()).containsExactly("{\"type\":\"join\",\"clientId\":\"alice\",\"roomId\":\"r2\"}");
        alice.send("{\"type\":\"chat\",\"roomId\":\"r2\",\"body\":\"hi\"}");
        assertThat(bob.received()).containsExactly("{\"type\":\"chat\",\"roomId\":\"r2\",\"from\":\"alice\",\"body\":\"hi\"}");
        alice.received();
        alice.send("{\"type\":\"leave\",\"roomId\":\"r2\"}");
        assertThat(alice.received()).containsExactly("{\"type\":\"left\",\"roomId\":\"r2\"}");
        assertThat(bob.received()).containsExactly("{\"type\":\"leave\",\"clientId\":\"alice\",\"roomId\":\"r2\"}");
        assertThat(rooms.membersOf("r2")).isEqualTo(1);
    }

    @Test
    void joiningARoomTwiceAnswersAgainWithoutAnnouncing() {
        ChatClient alice = joined("alice", "lobby");
        ChatClient bob = joined("bob", "lobby");
        alice.received();
        bob.send("{\"type\":\"join\",\"roomId\":\"lobby\"}");
        assertThat(bob.received()).containsExactly("{\"type\":\"joined\",\"roomId\":\"lobby\",\"members\":2}");
        assertThat(alice.received()).isEmpty();
    }

    @Test
    void lastMemberLeavingRemovesTheRoom() {
        ChatClient alice = joined("alice", "lobby");
        alice.send("{\"type\":\"leave\",\"roomId\":\"lobby\"}");
        assertThat(rooms.roomCount()).isZero();
        alice.received();
        alice.send("{\"type\":\"chat\",\"body\":1}");
        assertThat(alice.received()).singleElement().asString().contains("\"code\":\"not_in_room\"");
    }

    @Test
    void closingTheConnectionFreesEveryTraceAndTellsTheOthers() {
        ChatClient alice = joined("alice", "lobby");
        alice.send("{\"type\":\"join\",\"roomId\":\"r2\"}");
        ChatClient bob = joined("bob", "lobby");
        bob.received();
        alice.disconnect();
        assertThat(bob.received()).containsExactly("{\"type\":\"leave\",\"clientId\":\"alice\",\"roomId\":\"lobby\"}");
        assertThat(rooms.clientCount()).isEqualTo(1);
        assertThat(rooms.roomCount()).isEqualTo(1);
        assertThat(rooms.membersOf("r2")).isZero();
        joined("alice", "lobby"); // the id is free again
        bob.disconnect();
    }

    private static void assertError(ChatClient c, String code) {
        assertThat(c.received()).singleElement().asString().startsWith("{\"type\":\"error\",\"code\":\"" + code + "\"");
    }

    @Test
    void messageBeforeInitIsNotInitializedAndClosed1008() {
        ChatClient c = new ChatClient(router);
        c.send("{\"type\":\"chat\",\"body\":1}");
        assertError(c, "not_initialized");
        assertThat(c.closeCode()).isEqualTo(1008);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "{\"type\":\"init\"", "[1]", "{\"type\":\"init\",\"roomId\":\"r\"}",
        "{\"type\":\"init\",\"clientId\":\"a\"}", "{\"type\":\"init\",\"clientId\":1,\"roomId\":\"r\"}",
        "{\"type\":\"init\",\"clientId\":\"\",\"roomId\":\"r\"}", "{\"clientId\":\"a\",\"roomId\":\"r\"}",
        "{\"type\":\"init\",\"clientId\":\"a\",\"roomId\":\"r\"} trailing"})
    void malformedInitIsBadInitAndClosed1008(String init) {
        ChatClient c = new ChatClient(router);
        c.send(init);
        assertError(c, "bad_init");
        assertThat(c.closeCode()).isEqualTo(1008);
        assertThat(rooms.clientCount()).isZero();
    }

    @Test
    void idsLongerThan64CharactersAreBadInit() {
        ChatClient c = new ChatClient(router);
        c.send("{\"type\":\"init\",\"clientId\":\"" + "x".repeat(65) + "\",\"roomId\":\"r\"}");
        assertError(c, "bad_init");
        joined("x".repeat(64), "y".repeat(64));
    }

    @Test
    void duplicateClientIdIsRefusedAndTheFirstConnectionIsUntouched() {
        ChatClient first = joined("alice", "lobby");
        ChatClient second = new ChatClient(router);
        second.send("{\"type\":\"init\",\"clientId\":\"alice\",\"roomId\":\"lobby\"}");
        assertError(second, "duplicate_client_id");
        assertThat(second.closeCode()).isEqualTo(1008);
        second.disconnect();
        assertThat(first.isOpen()).isTrue();
        assertThat(rooms.membersOf("lobby")).isEqualTo(1);
        first.send("{\"type\":\"chat\",\"body\":\"still here\"}");
        assertThat(first.received()).hasSize(1);
    }

    @Test
    void errorsAfterInitKeepTheConnectionOpen() {
        ChatClient c = joined("alice", "lobby");
        c.send("{\"type\":\"init\",\"clientId\":\"alice\",\"roomId\":\"x\"}");
        assertError(c, "already_initialized");
        c.send("{not json");
        assertError(c, "bad_json");
        c.send("{\"type\":\"dance\"}");
        assertError(c, "unknown_type");
        c.send("{\"type\":\"chat\",\"roomId\":\"nowhere\",\"body\":1}");
        assertError(c, "not_in_room");
        c.send("{\"type\":\"leave\",\"roomId\":\"nowhere\"}");
        assertError(c, "not_in_room");
        c.send("{\"type\":\"chat\"}");
        assertError(c, "bad_message");
        c.send("{\"type\":\"join\",\"roomId\":7}");
        assertError(c, "bad_message");
        c.send("{\"body\":1}");
        assertError(c, "bad_message");
        assertThat(c.isOpen()).isTrue();
        assertThat(c.closeCode()).isEqualTo(-1);
    }

    @Test
    void aClientMayBeInAtMost16Rooms() {
        ChatClient c = joined("alice", "room0");
        for (int i = 1; i < 16; i++) {
            c.send("{\"type\":\"join\",\"roomId\":\"room" + i + "\"}");
        }
        assertThat(c.received()).hasSize(15).allMatch(s -> s.startsWith("{\"type\":\"joined\""));
        c.send("{\"type\":\"join\",\"roomId\":\"room16\"}");
        assertError(c, "too_many_rooms");
        assertThat(rooms.roomCount()).isEqualTo(16);
    }

    @Test
    void binaryMessageIsRefusedWith1003() {
        ChatClient c = joined("alice", "lobby");
        c.sendBinary(new byte[] {1, 2, 3});
        assertThat(c.closeCode()).isEqualTo(1003);
    }
}
