package dev.wsstudy.loadgen;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Source addresses and the loopback rule. The kernel gives ~28k ephemeral ports per (source
 * address, destination), so large runs on a loopback target spread connections over
 * 127.0.0.1, 127.0.0.2, ... (all of 127.0.0.0/8 is local on Linux, no configuration needed).
 */
public final class Sources {
    static final int CONNECTIONS_PER_ADDRESS = 20_000;

    private Sources() {}

    public static List<InetAddress> resolve(RunOptions o) throws UnknownHostException {
        List<InetAddress> out = new ArrayList<>();
        if (o.sourceAddresses != null && !o.sourceAddresses.isEmpty()) {
            for (String s : o.sourceAddresses) out.add(InetAddress.getByName(s.trim()));
            return out;
        }
        int total = Math.max(o.connections, o.rooms * o.members);
        if (o.targets().stream().allMatch(t -> isLoopback(t.getHost())) && total > CONNECTIONS_PER_ADDRESS) {
            int n = (total + CONNECTIONS_PER_ADDRESS - 1) / CONNECTIONS_PER_ADDRESS;
            for (int i = 1; i <= n; i++) out.add(InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) i}));
        }
        return out;
    }

    /** True for names and addresses in 127.0.0.0/8 (or ::1). */
    public static boolean isLoopback(String host) {
        if (host == null) return false;
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) if (!a.isLoopbackAddress()) return false;
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
