package io.refreshorchestrator.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Reads the {@code postgres} section into {@link PostgresSettings}. The password comes from an
 * environment variable ({@code password-env}, default {@code PGPASSWORD}) or a file ({@code
 * password-file}), never from the file itself.
 */
public final class PostgresSection {

    public static final String SECTION = "postgres";
    public static final String DEFAULT_PASSWORD_ENV = "PGPASSWORD";

    // "password" is rejected with its own message, better than "unknown key".
    private static final Set<String> KEYS =
            Set.of(
                    "host",
                    "port",
                    "database",
                    "user",
                    "password",
                    "password-env",
                    "password-file",
                    "properties");

    private PostgresSection() {}

    /**
     * The settings of {@code postgres}, or {@code null} when a required part is missing; every
     * problem is recorded in {@code reader}.
     */
    public static PostgresSettings read(ConfigReader reader) {
        return read(reader, true);
    }

    /**
     * Like {@link #read(ConfigReader)}; with {@code readPassword} false the password is left empty
     * and a missing password variable or unreadable password file is no problem (for commands that
     * connect only when they must, and then read the file again with the password).
     */
    public static PostgresSettings read(ConfigReader reader, boolean readPassword) {
        if (reader.node(SECTION + ".password").isPresent()) {
            reader.problem(
                    SECTION + ".password",
                    "a password is never written in the configuration file: use password-env"
                            + " (the name of an environment variable) or password-file");
        }
        reader.rejectUnknownKeys(SECTION, KEYS);
        var host = reader.string(SECTION + ".host", "localhost");
        int port = reader.integer(SECTION + ".port", 5432, 1, 65535);
        var database = reader.requiredString(SECTION + ".database");
        var user = reader.requiredString(SECTION + ".user");
        var password = readPassword ? password(reader) : Secret.empty();
        var properties = reader.stringMap(SECTION + ".properties");
        if (database == null || user == null) {
            return null;
        }
        return new PostgresSettings(host, port, database, user, password, properties);
    }

    private static Secret password(ConfigReader reader) {
        var envPath = SECTION + ".password-env";
        var filePath = SECTION + ".password-file";
        var file = reader.string(filePath);
        var envName = reader.string(envPath);
        if (file.isPresent() && envName.isPresent()) {
            reader.problem(filePath, "set either password-env or password-file, not both");
            return Secret.empty();
        }
        if (file.isPresent()) {
            try {
                var text = Files.readString(Path.of(file.get()));
                return Secret.of(text.strip());
            } catch (IOException | RuntimeException e) {
                reader.problem(
                        filePath,
                        "cannot read password file '"
                                + file.get()
                                + "': "
                                + e.getClass().getSimpleName());
                return Secret.empty();
            }
        }
        if (envName.isPresent()) {
            var value = reader.env().get(envName.get());
            if (value == null) {
                reader.problem(envPath, "environment variable '" + envName.get() + "' is not set");
                return Secret.empty();
            }
            return Secret.of(value);
        }
        // The default variable is optional: trust, peer or certificate authentication need none.
        return Secret.of(reader.env().get(DEFAULT_PASSWORD_ENV));
    }
}
