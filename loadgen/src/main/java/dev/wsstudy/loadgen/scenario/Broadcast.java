package dev.wsstudy.loadgen.scenario;

import dev.wsstudy.loadgen.RunOptions;
import dev.wsstudy.loadgen.ShareContext;
import dev.wsstudy.loadgen.ShareReport;
import dev.wsstudy.loadgen.client.ChatCodec;
import dev.wsstudy.loadgen.client.Conn;
import dev.wsstudy.loadgen.client.Pacer;
import dev.wsstudy.loadgen.client.Traffic;
import dev.wsstudy.loadgen.measure.DeliveryTracker;
import dev.wsstudy.loadgen.measure.Metrics;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * broadcast: {@code --rooms} rooms of {@code --members} members joined with the /chat INIT
 * protocol (unique client and room ids per run); the first {@code --senders-per-room} members of
 * each room send chat messages at {@code --rate} in total (open loop). Every member records the
 * delivery latency of every chat message and checks each sender's sequence numbers (nothing lost,
 * duplicated or reordered). A room lives entirely in one process, so checking needs no merging.
 */
public class Broadcast implements Scenario, Traffic {
    static final long WITHIN_NANOS = 500_000_000L;

    /** One member's state, confined to its connection's event loop. */
    static final class Member {
        final int room, index;
        final boolean slow;
        final DeliveryTracker[] fromSender;
        /** Scratch for the numbers of a chat body (no allocation per delivery). */
        final long[] body = new long[4];
        boolean welcomed;
        long deliveredAfterResume;

        Member(int room, int index, boolean slow, int senders) {
            this.room = room;
            this.index = index;
            this.slow = slow;
            this.fromSender = new DeliveryTracker[senders];
            for (int i = 0; i < senders; i++) fromSender[i] = new DeliveryTracker();
        }
    }

    protected final RunOptions o;
    private final ChatCodec codec;
    protected final List<Conn> members = new ArrayList<>();
    private final List<Conn> senders = new ArrayList<>();
    /** Per sender (room * S + k): how many members got message {@code seq} within 500 ms of its intended time. */
    private AtomicIntegerArray[] within;
    private CountDownLatch welcomes;
    private Metrics metrics;
    private Pacer pacer;
    private volatile boolean stopSending;
    /** Several targets (cluster nodes): each sender's node, and the measured period, for cross-node latency. */
    private int[] senderNode;
    private int nodes = 1;
    private volatile long measureFrom, measureTo;
    private int rooms;
    protected volatile boolean slowResumed;

    public Broadcast(RunOptions o) {
        this.o = o;
        if (o.rate == null || o.rate <= 0) throw new IllegalArgumentException(o.scenario + " needs --rate > 0 (chat messages/s over all senders)");
        if (o.rooms < 1 || o.members < 1 || o.sendersPerRoom < 1) throw new IllegalArgumentException("--rooms, --members, --senders-per-room must be >= 1");
        if (o.sendersPerRoom + o.slowMembers > o.members) {
            throw new IllegalArgumentException("--senders-per-room + --slow-members must not exceed --members");
        }
        double perSender = o.rate / (o.rooms * (double) o.sendersPerRoom);
        if (perSender * (o.warmupS + o.durationS) > 20_000_000) throw new IllegalArgumentException("too many messages per sender for one run");
        this.codec = new ChatCodec(o.payloadBytes);
    }

    @Override public boolean openLoop() { return true; }
    @Override public Double offeredRate() { return o.rate; }
    @Override public int connections() { return o.rooms * o.members; }

    protected int slowPerRoom() { return 0; }

    @Override public void connect(ShareContext ctx) throws Exception {
        metrics = ctx.metrics;
        rooms = ctx.share(o.rooms);
        int firstRoom = ctx.offset(o.rooms);
        int n = rooms * o.members;
        List<Conn> conns = ctx.connectAll(firstRoom * o.members, n, i -> this);
        if (conns.size() < n) throw new IllegalStateException((n - conns.size()) + " of " + n + " connections failed: " + metrics.errorKinds());
        int s = o.sendersPerRoom;
        double perSender = o.rate / (o.rooms * (double) s);
        int capacity = (int) Math.ceil(perSender * o.totalS()) + 16;
        within = new AtomicIntegerArray[rooms * s];
        for (int i = 0; i < within.length; i++) within[i] = new AtomicIntegerArray(capacity);
        welcomes = new CountDownLatch(n);
        nodes = ctx.client.targetCount();
        senderNode = new int[rooms * s];
        for (int i = 0; i < n; i++) {
            Conn c = conns.get(i);
            int room = i / o.members, m = i % o.members;
            c.attachment = new Member(room, m, m >= o.members - slowPerRoom(), s);
            members.add(c);
            if (m < s) {
                senders.add(c);
                senderNode[room * s + m] = ctx.client.targetOf(c.index);
            }
            String roomId = "lg-" + ctx.runId + "-room" + (firstRoom + room);
            c.channel.writeAndFlush(ChatCodec.init(roomId + "-m" + m, roomId));
        }
        if (!welcomes.await(o.connectTimeoutMs, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(welcomes.getCount() + " members got no welcome to INIT: " + metrics.errorKinds());
        }
        if (metrics.errors.sum() > 0) throw new IllegalStateException("INIT failed: " + metrics.errorKinds());
    }

    @Override public void run(ShareContext ctx) throws Exception {
        measureFrom = ctx.measureStartNanos();
        measureTo = ctx.endNanos();
        Map<EventLoop, List<Conn>> byLoop = new LinkedHashMap<>();
        for (Conn c : senders) byLoop.computeIfAbsent(c.channel.eventLoop(), k -> new ArrayList<>()).add(c);
        double processRate = o.rate * senders.size() / (o.rooms * (double) o.sendersPerRoom);
        List<Pacer.Lane> lanes = new ArrayList<>();
        byLoop.forEach((loop, cs) -> {
            double rate = processRate * cs.size() / senders.size();
            lanes.add(new Pacer.Lane(loop, cs.toArray(Conn[]::new), ctx.startNanos(), rate,
                    (long) Math.floor(rate * o.totalS()), metrics, this::trySend));
        });
        pacer = new Pacer(lanes, metrics, ctx.client.preciseTimers()).start();
        if (slowPerRoom() > 0) {
            ShareContext.sleepUntil(ctx.measureStartNanos());
            pauseSlowMembers(ctx);
        }
        ShareContext.sleepUntil(ctx.endNanos());
        stopSending = true;
        pacer.close();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(o.drainMs);
        long readers = o.members - slowPerRoom();
        while (metrics.received.sum() < metrics.sent.sum() * readers && System.nanoTime() < deadline) Thread.sleep(5);
    }

    protected void pauseSlowMembers(ShareContext ctx) {}

    private void trySend(Conn c) {
        boolean any = false;
        Member me = (Member) c.attachment;
        int sender = me.room * o.sendersPerRoom + me.index;
        while (!stopSending && c.sent < c.due && c.writable()) {
            long intended = c.lane.intendedOf(c, c.sent);
            c.channel.write(codec.chat(c.channel.alloc(), sender, c.sent, intended, System.nanoTime()), c.channel.voidPromise());
            c.sent++;
            metrics.sent.increment();
            any = true;
        }
        if (any) c.channel.flush();
    }

    @Override public void onWritable(Conn c) {
        if (((Member) c.attachment).index < o.sendersPerRoom) trySend(c);
    }

    @Override public void onFrame(Conn c, WebSocketFrame f, long now) {
        Member me = (Member) c.attachment;
        long[] body = me.body;
        if (!(f instanceof TextWebSocketFrame)) {
            metrics.error("unexpected-binary");
            return;
        }
        if (!ChatCodec.readBody(f, body)) {
            if (!me.welcomed && ChatCodec.isWelcome(f)) {
                me.welcomed = true;
                welcomes.countDown();
            } else if (ChatCodec.isError(f)) {
                metrics.error("chat-error");
                if (!me.welcomed) welcomes.countDown();
            }
            return; // join / leave notices
        }
        int sender = (int) body[0];
        if (sender / o.sendersPerRoom != me.room || sender < 0) {
            metrics.error("wrong-room");
            return;
        }
        me.fromSender[sender % o.sendersPerRoom].onDelivery((int) body[1]);
        if (me.slow) {
            if (slowResumed) me.deliveredAfterResume++;
            return; // slow members are reported by their fate, not their latency
        }
        metrics.recordLatency(now, body[2], body[3]);
        if (nodes > 1 && body[2] >= measureFrom && body[2] < measureTo) {
            boolean cross = senderNode[sender] != Math.floorMod(c.index, nodes);
            (cross ? metrics.crossNode : metrics.sameNode).recordValue(Metrics.toUs(now - body[2]));
        }
        metrics.received.increment();
        metrics.receivedBytes.add(f.content().readableBytes());
        AtomicIntegerArray w = within[sender];
        if (now - body[2] <= WITHIN_NANOS && body[1] < w.length()) w.incrementAndGet((int) body[1]);
    }

    @Override public void onClosed(Conn c) {
        if (!stopSending && !((Member) c.attachment).slow) {
            metrics.error(c.closeCode > 0 ? "closed-by-server-" + c.closeCode : "connection-lost");
        }
    }

    @Override public void close(ShareContext ctx) throws Exception {
        resumeSlowMembers(ctx);
        // Tally on each member's own event loop: the trackers are confined to it.
        long[] sent = new long[senders.size()];
        for (int i = 0; i < senders.size(); i++) {
            Conn c = senders.get(i);
            sent[i] = c.channel.eventLoop().submit(() -> c.sent).get();
        }
        ShareReport.Delivery d = new ShareReport.Delivery();
        Map<String, Object> slow = new LinkedHashMap<>();
        long slowLost = 0, slowDelivered = 0;
        int s = o.sendersPerRoom;
        for (Conn c : members) {
            Member me = (Member) c.attachment;
            long[] t = c.channel.eventLoop().submit(() -> {
                long lost = 0, dup = 0, reo = 0, del = 0;
                for (int k = 0; k < s; k++) {
                    DeliveryTracker tr = me.fromSender[k];
                    lost += tr.lost(sent[me.room * s + k]);
                    dup += tr.duplicated();
                    reo += tr.reordered();
                    del += tr.delivered();
                }
                return new long[] {lost, dup, reo, del};
            }).get();
            if (me.slow) {
                slowLost += t[0];
                slowDelivered += t[3];
                continue;
            }
            d.lost += t[0];
            d.duplicated += t[1];
            d.reordered += t[2];
            d.delivered += t[3];
        }
        long readers = o.members - slowPerRoom();
        for (int i = 0; i < senders.size(); i++) {
            d.expected += sent[i] * readers;
            Conn c = senders.get(i);
            for (long k = 0; k < sent[i] && k < within[i].length(); k++) {
                long intended = c.lane.intendedOf(c, k);
                if (intended >= ctx.measureStartNanos() && intended < ctx.endNanos()) {
                    d.broadcasts++;
                    if (within[i].get((int) k) >= readers) d.broadcastsWithin500ms++;
                }
            }
        }
        ctx.report.delivery = d;
        if (slowPerRoom() > 0) {
            reportSlowMembers(ctx, slow, slowDelivered, slowLost);
            ctx.report.extra.put("slowConsumers", slow);
        }
        ctx.closeAll(members);
    }

    protected void resumeSlowMembers(ShareContext ctx) throws Exception {}

    protected void reportSlowMembers(ShareContext ctx, Map<String, Object> out, long delivered, long lost) {}

    protected List<Conn> slowMembers() {
        List<Conn> out = new ArrayList<>();
        for (Conn c : members) if (((Member) c.attachment).slow) out.add(c);
        return out;
    }
}
