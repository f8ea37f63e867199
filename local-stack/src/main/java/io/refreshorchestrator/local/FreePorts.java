package io.refreshorchestrator.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Picks free TCP ports on the loopback interface, never handing out the same port twice in one JVM.
 *
 * <p>A port is free when it is picked; another process can still take it before the service binds
 * it, so the launchers retry with new ports when a bind fails.
 */
public final class FreePorts {

    private static final int MAX_ATTEMPTS = 100;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {}

    /** Returns a loopback port that was free a moment ago and was not returned before. */
    public static int pick() {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            int port = bindEphemeral();
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException(
                "No free loopback port found in " + MAX_ATTEMPTS + " attempts");
    }

    private static int bindEphemeral() {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot bind an ephemeral loopback port", e);
        }
    }
}
