package io.starling.net.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTest {
    @Test
    void portsLieBelowTheKernelsEphemeralRangeSoOutgoingConnectionsCannotTakeThem() {
        int start = FreePorts.ephemeralRangeStart();
        for (int i = 0; i < 20; i++) {
            assertThat(FreePorts.loopback()).isBetween(10_000, start - 1);
        }
    }

    @Test
    void noPortIsHandedOutTwiceInOneJvm() {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            assertThat(seen.add(FreePorts.loopback())).isTrue();
        }
    }

    @Test
    void aHandedOutPortCanBeBound() throws Exception {
        int port = FreePorts.loopback();
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            assertThat(s.getLocalPort()).isEqualTo(port);
        }
    }
}
