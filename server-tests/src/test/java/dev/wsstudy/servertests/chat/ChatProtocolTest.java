package dev.wsstudy.servertests.chat;

import static dev.wsstudy.servertests.support.ChatClient.obj;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsstudy.servertests.support.ChatClient;
import dev.wsstudy.servertests.support.Http;
import dev.wsstudy.servertests.support.ServerKind;
import dev.wsstudy.servertests.support.ServerProcess;
import dev.wsstudy.servertests.support.Stats;
import dev.wsstudy.servertests.support.WsFrames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code /chat} rooms protocol message by message (docs/wire-protocol.md "/chat"), over TCP. */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.wsstudy.servertests.support.ServerKind#underTest")
class ChatProtocolTest {
    @Parameter
    ServerKind kind;
    static ServerProcess server;
    static long baseline;

    @BeforeParameterizedClassInvocation
    static void start(ServerKind kind) throws Exception {
        server = ServerProcess.shared(kind);
        baseline = server.idleConnections();
    }

    @AfterEach
    void nothingLeaked() throws Exception {
        Stats.awaitNothingLeaked(server, baseline);
    }

    static JsonNode json(String text) throws Exception {
        return Stats.JSON.readTree(text);
    }

    static void assertError(JsonNode message, String code) {
        assertThat(message.path("type").asText()).as("%s", message).isEqualTo("error");
        assertThat(message.path("code").asText()).as("%s", message).isEqualTo(code);
        assertThat(message.path("message").isTextual()).as("error has a text message: %s", message).isTrue();
    }

    @Test
    void initIsWelcomedAndOtherMembersSeeTheJoin() throws Exception {
        try (ChatClient alice = ChatClient.connect(server.port(), "alice")) {
            assertThat(alice.init("lobby")).isEqualTo(json("{\"type\":\"welcome\",\"clientId\":\"alice\",\"roomId\":\"lobby\",\"members\":1}"));
            try (ChatClient bob = ChatClient.connect(server.port(), "bob")) {
                assertThat(bob.init("lobby")).isEqualTo(json("{\"type\":\"welcome\",\"clientId\":\"bob\",\"roomId\":\"lobby\",\"members\":2}"));
                assertThat(alice.next()).isEqualTo(json("{\"type\":\"join\",\"clientId\":\"bob\",\"roomId\":\"lobby\"}"));
                JsonNode stats = Stats.fetch(server);
                assertThat(Stats.field(stats, Stats.ROOMS)).isEqualTo(1);
                assertThat(Stats.field(stats, Stats.CLIENTS)).isEqualTo(2);
            }
        }
    }

    @Test
    void chatReachesEveryMemberIncludingTheSenderWithBodyVerbatim() throws Exception {
        try (ChatClient alice = ChatClient.join(server.port(), "alice", "lobby");
             ChatClient bob = ChatClient.join(server.port(), "bob", "lobby");
             ChatClient carol = ChatClient.join(server.port(), "carol", "elsewhere")) {
            alice.next(); // join bob
            JsonNode body = json("{\"n\":[1,2.5,null,true],\"s\":\"é\\u0000\\\"x\",\"o\":{}}");
            alice.chat(null, body);
            JsonNode expected = json("{\"type\":\"chat\",\"roomId\":\"lobby\",\"from\":\"alice\"}");
            ((com.fasterxml.jackson.databind.node.ObjectNode) expected).set("body", body);
            assertThat(alice.next()).isEqualTo(expected);
            assertThat(bob.next()).isEqualTo(expected);
            for (String scalar : new String[] {"\"just text\"", "42", "[]", "null"}) {
                bob.chat("lobby", json(scalar));
                assertThat(alice.next().get("body")).isEqualTo(json(scalar));
                assertThat(bob.next().get("body")).isEqualTo(json(scalar));
            }
            // carol is in another room: her next message is her own chat, nothing from lobby.
            carol.chat(null, json("\"mine\""));
            assertThat(carol.next()).isEqualTo(json("{\"type\":\"chat\",\"roomId\":\"elsewhere\",\"from\":\"carol\",\"body\":\"mine\"}"));
        }
    }

    @Test
    void chatBodyBytesAreCarriedExactlyAsSent() throws Exception {
        // docs/wire-protocol.md: body bytes copied as sent; fields type, roomId, from, body in this order, no spaces.
        try (ChatClient alice = ChatClient.join(server.port(), "alice", "lobby")) {
            alice.ws.sendText("{ \"body\" : {\"a\" : 1.50e2, \"s\":\"\\u00e9\"} , \"type\":\"chat\"}");
            assertThat(alice.ws.readText())
                    .isEqualTo("{\"type\":\"chat\",\"roomId\":\"lobby\",\"from\":\"alice\",\"body\":{\"a\" : 1.50e2, \"s\":\"\\u00e9\"}}");
        }
    }

    @Test
    void joiningARoomAlreadyJoinedAnswersJoinedAndTellsNoOne() throws Exception {
        try (ChatClient alice = ChatClient.join(server.port(), "alice", "lobby");
             ChatClient bob = ChatClient.join(server.port(), "bob", "lobby")) {
            alice.next(); // join bob
            alice.send(obj("join").put("roomId", "lobby"));
            assertThat(alice.next()).isEqualTo(json("{\"type\":\"joined\",\"roomId\":\"lobby\",\"members\":2}"));
            // bob's next message is alice's chat, not a second join.
            alice.chat(null, json("1"));
            assertThat(bob.next().path("type").asText()).isEqualTo("chat");
        }
    }

    @Test
    void leavingTheInitRoomMakesRoomlessChatNotInRoom() throws Exception {
        try (ChatClient c = ChatClient.join(server.port(), "leaver", "home")) {
            c.send(obj("leave").put("roomId", "home"));
            assertThat(c.next()).isEqualTo(json("{\"type\":\"left\",\"roomId\":\"home\"}"));
            c.chat(null, json("1"));
            assertError(c.next(), "not_in_room");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "{\"body\":1}",
        "{\"type\":\"chat\"}",
        "{\"type\":\"chat\",\"roomId\":5,\"body\":1}",
        "{\"type\":\"join\",\"roomId\":\"\"}",
        "{\"type\":\"leave\",\"roomId\":[]}",
    })
    void missingOrMistypedFieldGetsBadMessageAndStaysOpen(String message) throws Exception {
        try (ChatClient c = ChatClient.join(server.port(), "fields", "lobby")) {
            c.ws.sendText(message);
            assertError(c.next(), "bad_message");
            c.chat(null, json("\"alive\""));
            assertThat(c.next().path("body").asText()).isEqualTo("alive");
        }
    }

    @Test
    void joinAndLeaveAnotherRoom() throws Exception {
        try (ChatClient alice = ChatClient.join(server.port(), "alice", "lobby");
             ChatClient bob = ChatClient.join(server.port(), "bob", "r2")) {
            alice.send(obj("join").put("roomId", "r2"));
            assertThat(alice.next()).isEqualTo(json("{\"type\":\"joined\",\"roomId\":\"r2\",\"members\":2}"));
            assertThat(bob.next()).isEqualTo(json("{\"type\":\"join\",\"clientId\":\"alice\",\"roomId\":\"r2\"}"));
            alice.chat("r2", json("1"));
            assertThat(alice.next()).isEqualTo(json("{\"type\":\"chat\",\"roomId\":\"r2\",\"from\":\"alice\",\"body\":1}"));
            assertThat(bob.next()).isEqualTo(json("{\"type\":\"chat\",\"roomId\":\"r2\",\"from\":\"alice\",\"body\":1}"));
            alice.send(obj("leave").put("roomId", "r2"));
            assertThat(alice.next()).isEqualTo(json("{\"type\":\"left\",\"roomId\":\"r2\"}"));
            assertThat(bob.next()).isEqualTo(json("{\"type\":\"leave\",\"clientId\":\"alice\",\"roomId\":\"r2\"}"));
            alice.chat("r2", json("2"));
            assertError(alice.next(), "not_in_room");
        }
    }

    @Test
    void closingTheConnectionLeavesEveryRoomAndFreesTheClientId() throws Exception {
        try (ChatClient alice = ChatClient.join(server.port(), "alice", "lobby")) {
            try (ChatClient bob = ChatClient.join(server.port(), "bob", "lobby")) {
                alice.next(); // join bob
                bob.send(obj("join").put("roomId", "side"));
                assertThat(bob.next().path("type").asText()).isEqualTo("joined");
            }
            // bob is gone: lobby members hear that he left; "side" is empty and removed.
            assertThat(alice.next()).isEqualTo(json("{\"type\":\"leave\",\"clientId\":\"bob\",\"roomId\":\"lobby\"}"));
            JsonNode stats = waitFor(() -> Stats.field(Stats.fetch(server), Stats.CLIENTS) == 1);
            assertThat(Stats.field(stats, Stats.ROOMS)).isEqualTo(1);
            try (ChatClient bob2 = ChatClient.connect(server.port(), "bob")) {
                assertThat(bob2.init("lobby").path("members").asInt()).isEqualTo(2);
            }
        }
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static JsonNode waitFor(Check check) throws Exception {
        long deadline = System.nanoTime() + Http.PATIENCE.toNanos();
        while (!check.ok()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not reached; /stats: " + Stats.fetch(server));
            Thread.sleep(20);
        }
        return Stats.fetch(server);
    }

    @Test
    void messageBeforeInitGetsNotInitializedAndClose1008() throws Exception {
        try (ChatClient c = ChatClient.connect(server.port(), "early")) {
            c.chat("lobby", json("1"));
            assertError(c.next(), "not_initialized");
            c.ws.expectClose(1008);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "not json at all",
        "{\"type\":\"init\",\"roomId\":\"lobby\"}",
        "{\"type\":\"init\",\"clientId\":\"a\"}",
        "{\"type\":\"init\",\"clientId\":7,\"roomId\":\"lobby\"}",
        "{\"type\":\"init\",\"clientId\":\"a\",\"roomId\":[\"lobby\"]}",
        "{\"type\":\"init\",\"clientId\":\"\",\"roomId\":\"lobby\"}",
        "{\"type\":\"init\",\"clientId\":\"a\",\"roomId\":\"\"}",
        "{\"type\":\"init\",\"clientId\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"roomId\":\"lobby\"}",
    })
    void badInitGetsBadInitAndClose1008(String init) throws Exception {
        try (ChatClient c = ChatClient.connect(server.port(), "x")) {
            c.ws.sendText(init);
            assertError(c.next(), "bad_init");
            c.ws.expectClose(1008);
        }
    }

    @Test
    void sixtyFourCharacterIdsAreAccepted() throws Exception {
        String id = "i".repeat(64);
        try (ChatClient c = ChatClient.connect(server.port(), id)) {
            assertThat(c.init("r".repeat(64)).path("type").asText()).isEqualTo("welcome");
        }
    }

    @Test
    void duplicateClientIdGetsErrorAndClose1008WhileTheFirstStays() throws Exception {
        try (ChatClient first = ChatClient.join(server.port(), "dup", "lobby");
             ChatClient second = ChatClient.connect(server.port(), "dup")) {
            assertError(second.init("other"), "duplicate_client_id");
            second.ws.expectClose(1008);
            first.chat(null, json("\"still here\""));
            assertThat(first.next().path("body").asText()).isEqualTo("still here");
        }
    }

    @Test
    void recoverableErrorsKeepTheConnectionOpen() throws Exception {
        try (ChatClient c = ChatClient.join(server.port(), "errs", "lobby")) {
            c.send(obj("init").put("clientId", "errs").put("roomId", "lobby"));
            assertError(c.next(), "already_initialized");
            c.ws.sendText("{not json");
            assertError(c.next(), "bad_json");
            c.ws.sendText("[1,2]");
            assertError(c.next(), "bad_json");
            c.send(obj("dance"));
            assertError(c.next(), "unknown_type");
            c.chat("not-mine", json("1"));
            assertError(c.next(), "not_in_room");
            c.send(obj("leave").put("roomId", "not-mine"));
            assertError(c.next(), "not_in_room");
            c.chat(null, json("\"alive\""));
            assertThat(c.next().path("body").asText()).isEqualTo("alive");
        }
    }

    @Test
    void joiningBeyondSixteenRoomsGetsTooManyRooms() throws Exception {
        try (ChatClient c = ChatClient.join(server.port(), "roamer", "room-0")) {
            for (int i = 1; i < 16; i++) {
                c.send(obj("join").put("roomId", "room-" + i));
                assertThat(c.next().path("type").asText()).isEqualTo("joined");
            }
            c.send(obj("join").put("roomId", "room-16"));
            assertError(c.next(), "too_many_rooms");
            c.chat("room-15", json("\"ok\""));
            assertThat(c.next().path("roomId").asText()).isEqualTo("room-15");
        }
    }

    @Test
    void binaryMessageIsClosedWith1003() throws Exception {
        try (ChatClient c = ChatClient.join(server.port(), "bin", "lobby")) {
            c.ws.send(WsFrames.frame(WsFrames.BINARY, new byte[] {1, 2, 3}));
            c.ws.expectClose(1003);
        }
    }
}
