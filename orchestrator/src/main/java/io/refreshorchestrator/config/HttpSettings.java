package io.refreshorchestrator.config;

import java.time.Duration;

/**
 * The HTTP API of {@code run}: where it listens and the token that guards its write endpoints.
 *
 * @param enabled whether the API is served at all
 * @param bind the address to listen on; loopback by default
 * @param port the port; 0 picks a free one (tests)
 * @param token where the bearer token of the write endpoints comes from, read when the API starts;
 *     none: they are off
 * @param statsWindow how far back success rate and duration percentiles look
 */
public record HttpSettings(
        boolean enabled, String bind, int port, TokenSource token, Duration statsWindow) {

    public static final HttpSettings DEFAULTS =
            new HttpSettings(true, "127.0.0.1", 8080, TokenSource.none(), Duration.ofHours(24));
}
