package dev.wsstudy.servertests.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsstudy.servertests.support.ChatClient;
import dev.wsstudy.servertests.support.ServerKind;
import dev.wsstudy.servertests.support.ServerProcess;
import dev.wsstudy.servertests.support.Stats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * 2,000 concurrent chat connections in 100 rooms of 20. Every member sends a numbered series; every
 * member must then receive every series of its room (its own included) exactly once and in order,
 * plus a {@code join} for each member who came after it. Closing everything must leave the registry
 * empty. Clients are plain blocking sockets, one virtual thread each, to stay light on 2 cores.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.wsstudy.servertests.support.ServerKind#underTest")
class ChatRoomsAtScaleTest {
    static final int ROOMS = 100;
    static final int MEMBERS_PER_ROOM = 20;
    static final int MESSAGES_PER_MEMBER = 5;

    @Parameter
    ServerKind kind;
    static ServerProcess server;

    @BeforeParameterizedClassInvocation
    static void start(ServerKind kind) {
        server = ServerProcess.shared(kind);
    }

    /** What one member saw: per sender, the next sequence number it expects. */
    static final class Member {
        final ChatClient client;
        final int joinOrder;
        final Map<String, Integer> nextSeq = new HashMap<>();
        int chats;
        int joins;

        Member(ChatClient client, int joinOrder) {
            this.client = client;
            this.joinOrder = joinOrder;
        }

        /** Reads until the whole room's traffic arrived; records anything unexpected in {@code errors}. */
        void receiveAll(Queue<String> errors) {
            int expected = MEMBERS_PER_ROOM * MESSAGES_PER_MEMBER;
            try {
                while (chats < expected) {
                    JsonNode m = client.next();
                    switch (m.path("type").asText()) {
                        case "join" -> joins++;
                        case "chat" -> {
                            chats++;
                            String from = m.path("from").asText();
                            int seq = m.path("body").path("seq").asInt(-1);
                            int want = nextSeq.getOrDefault(from, 0);
                            if (seq != want) errors.add(client.clientId + ": from " + from + " got seq " + seq + ", expected " + want);
                            nextSeq.put(from, seq + 1);
                        }
                        default -> errors.add(client.clientId + ": unexpected " + m);
                    }
                }
            } catch (Exception e) {
                errors.add(client.clientId + ": after " + chats + "/" + expected + " chats: " + e);
            }
        }
    }

    @Test
    @Timeout(180)
    void everyBroadcastReachesEveryMemberExactlyOnceInPerSenderOrder() throws Exception {
        long baseline = server.idleConnections();
        Queue<String> errors = new ConcurrentLinkedQueue<>();
        List<List<Member>> rooms = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            // Members of one room join one after another, so each one's welcome precedes the joins
            // it is told about; rooms fill in parallel (bounded, so the accept queue never overflows).
            Semaphore connecting = new Semaphore(32);
            List<Future<List<Member>>> filling = new ArrayList<>();
            for (int r = 0; r < ROOMS; r++) {
                String roomId = "room-" + r;
                filling.add(threads.submit(() -> {
                    List<Member> members = new ArrayList<>();
                    for (int i = 0; i < MEMBERS_PER_ROOM; i++) {
                        connecting.acquire();
                        try {
                            ChatClient c = ChatClient.connect(server.port(), roomId + "-m" + i);
                            JsonNode welcome = c.init(roomId);
                            assertThat(welcome.path("members").asInt()).as("welcome %s", welcome).isEqualTo(i + 1);
                            members.add(new Member(c, i));
                        } finally {
                            connecting.release();
                        }
                    }
                    return members;
                }));
            }
            for (Future<List<Member>> f : filling) rooms.add(f.get());
            JsonNode full = Stats.fetch(server);
            assertThat(Stats.field(full, Stats.CLIENTS)).isEqualTo(ROOMS * MEMBERS_PER_ROOM);
            assertThat(Stats.field(full, Stats.ROOMS)).isEqualTo(ROOMS);

            List<Future<?>> work = new ArrayList<>();
            for (List<Member> room : rooms) {
                for (Member m : room) {
                    work.add(threads.submit(() -> m.receiveAll(errors)));
                    work.add(threads.submit(() -> {
                        for (int s = 0; s < MESSAGES_PER_MEMBER; s++) {
                            m.client.chat(null, Stats.JSON.createObjectNode().put("seq", s));
                        }
                        return null;
                    }));
                }
            }
            for (Future<?> f : work) f.get();
            assertThat(errors).as("delivery errors (%d)", errors.size()).isEmpty();
            for (List<Member> room : rooms) {
                for (Member m : room) {
                    assertThat(m.nextSeq).as("senders heard by %s", m.client.clientId).hasSize(MEMBERS_PER_ROOM);
                    assertThat(m.nextSeq.values()).as("series lengths heard by %s", m.client.clientId).containsOnly(MESSAGES_PER_MEMBER);
                    assertThat(m.joins).as("joins heard by %s", m.client.clientId).isEqualTo(MEMBERS_PER_ROOM - 1 - m.joinOrder);
                }
            }

            // Everyone says goodbye with a proper closing handshake; leave notices in flight are skipped.
            List<Future<?>> closing = new ArrayList<>();
            for (List<Member> room : rooms) {
                for (Member m : room) {
                    closing.add(threads.submit(() -> {
                        m.client.ws.closeHandshake(1000);
                        return null;
                    }));
                }
            }
            for (Future<?> f : closing) f.get();
        } finally {
            for (List<Member> room : rooms) for (Member m : room) m.client.close();
        }
        Stats.awaitNothingLeaked(server, baseline);
    }
}
