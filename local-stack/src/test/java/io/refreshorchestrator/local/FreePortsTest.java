package io.refreshorchestrator.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void shouldNeverHandOutTheSamePortTwice() {
        // given
        Set<Integer> ports = new HashSet<>();

        // when
        for (int i = 0; i < 200; i++) {
            ports.add(FreePorts.pick());
        }

        // then
        assertThat(ports).hasSize(200).allMatch(port -> port > 0 && port < 65536);
    }

    @Test
    void shouldPickAPortThatCanBeBoundOnLoopback() throws Exception {
        // given
        int port = FreePorts.pick();

        // when
        try (var socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            // then
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
    }
}
