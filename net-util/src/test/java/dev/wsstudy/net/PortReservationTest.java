package dev.wsstudy.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/** The two properties the suite and the cluster tests rely on, with real sockets. */
class PortReservationTest {

    @Test
    void aReservedPortRefusesConnections() throws Exception {
        try (Socket reserved = PortReservation.reserveLoopbackPort(); Socket client = new Socket()) {
            assertThat(reserved.getLocalAddress().isLoopbackAddress()).isTrue();
            assertThat(reserved.getLocalPort()).isPositive();
            InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), reserved.getLocalPort());
            assertThatThrownBy(() -> client.connect(target, 30_000)).isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void aListenerWithReuseAddressBindsTheReservedPortAndAcceptsThere() throws Exception {
        try (Socket reserved = PortReservation.reserveLoopbackPort(); ServerSocket server = new ServerSocket()) {
            int port = reserved.getLocalPort();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port); Socket accepted = server.accept()) {
                assertThat(accepted.getLocalPort()).isEqualTo(port);
                assertThat(client.isConnected()).isTrue();
            }
        }
    }
}
