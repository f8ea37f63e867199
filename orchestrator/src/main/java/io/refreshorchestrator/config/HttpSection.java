package io.refreshorchestrator.config;

import java.time.Duration;
import java.util.Set;

/**
 * Reads the {@code http} section into {@link HttpSettings}. The token comes from an environment
 * variable ({@code token-env}) or a file ({@code token-file}), never from the file itself, and is
 * read only when {@code run} starts the API ({@link TokenSource#read()}).
 */
final class HttpSection {

    private static final String SECTION = "http";
    private static final Set<String> KEYS =
            Set.of("enabled", "bind", "port", "token-env", "token-file", "stats-window", "token");

    private HttpSection() {}

    static HttpSettings read(ConfigReader reader) {
        reader.rejectUnknownKeys(SECTION, KEYS);
        if (reader.node(SECTION + ".token").isPresent()) {
            reader.problem(
                    SECTION + ".token",
                    "a token is never written in the configuration file: use token-env (the name"
                            + " of an environment variable) or token-file");
        }
        var d = HttpSettings.DEFAULTS;
        return new HttpSettings(
                reader.bool(SECTION + ".enabled", d.enabled()),
                reader.string(SECTION + ".bind", d.bind()),
                reader.integer(SECTION + ".port", d.port(), 0, 65_535),
                token(reader),
                reader.duration(SECTION + ".stats-window", d.statsWindow(), Duration.ofMinutes(1)));
    }

    /** Where the token comes from; it is read only when {@code run} starts the API. */
    private static TokenSource token(ConfigReader reader) {
        var envPath = SECTION + ".token-env";
        var filePath = SECTION + ".token-file";
        var file = reader.string(filePath);
        var envName = reader.string(envPath);
        if (file.isPresent() && envName.isPresent()) {
            reader.problem(filePath, "set either token-env or token-file, not both");
            return TokenSource.none();
        }
        if (file.isPresent()) {
            return TokenSource.file(filePath, file.get());
        }
        if (envName.isPresent()) {
            return TokenSource.variable(envPath, envName.get(), reader.env());
        }
        return TokenSource.none();
    }
}
