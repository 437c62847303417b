package dev.wsstudy.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A free loopback port held by a socket that is bound to it (with {@code SO_REUSEADDR}) but never
 * listens. While it is held:
 * <ul>
 *   <li>the kernel gives the port to no other socket: no outgoing connection's local port and no
 *       {@code bind(0)} takes it (a port picked and closed again can, on a busy machine, and the
 *       server's later bind then fails);</li>
 *   <li>a listener that also sets {@code SO_REUSEADDR} may bind it: our servers and redis-server do,
 *       so the one to start there binds while the reservation still holds the port (peers that do
 *       not set it could not share it);</li>
 *   <li>a connection attempt is refused there, as with no process on the port at all: tests use
 *       that for "nothing listens here", and a Redis outage keeps its port this way.</li>
 * </ul>
 * Used by the suite (server and Redis ports) and by the cluster tests' redis-server; close the
 * socket to release the port.
 */
public final class PortReservation {
    private PortReservation() {
    }

    /** Reserves a free port on the loopback address; its number is {@code getLocalPort()}. */
    public static Socket reserveLoopbackPort() throws IOException {
        Socket s = new Socket();
        try {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }
}
