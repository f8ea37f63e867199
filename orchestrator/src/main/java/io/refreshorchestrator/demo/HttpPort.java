package io.refreshorchestrator.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** The demo's HTTP port: the one asked for when it is free, else any free loopback port. */
final class HttpPort {

    private HttpPort() {}

    static int choose(int wanted) {
        if (wanted == 0 || isFree(wanted)) {
            return wanted;
        }
        return 0; // the API then binds a free port and reports it
    }

    private static boolean isFree(int port) {
        try (var socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return true;
        } catch (IOException taken) {
            return false;
        }
    }
}
