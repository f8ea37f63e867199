package io.refreshorchestrator.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where the bearer token of the HTTP API's write endpoints comes from: an environment variable
 * ({@code http.token-env}), a file ({@code http.token-file}), or nowhere (the endpoints are off).
 *
 * <p>Only {@code run} serves the API, so the token is read when the API starts ({@link #read()}),
 * not when the configuration is loaded: the other commands work from a shell that lacks the
 * variable or cannot read the file.
 */
public final class TokenSource {

    private static final TokenSource NONE = new TokenSource(null, null, null);

    /** The configuration key that named the source, for messages; null for none. */
    private final String key;

    /** The variable's name or the file's path. */
    private final String location;

    /** The environment to look the variable up in; null for a file. */
    private final Map<String, String> env;

    private TokenSource(String key, String location, Map<String, String> env) {
        this.key = key;
        this.location = location;
        this.env = env;
    }

    /** No token: the write endpoints are off. */
    public static TokenSource none() {
        return NONE;
    }

    /**
     * The token is the value of the environment variable {@code name}, looked up in {@code env}.
     */
    public static TokenSource variable(String key, String name, Map<String, String> env) {
        return new TokenSource(
                Objects.requireNonNull(key, "key"),
                Objects.requireNonNull(name, "name"),
                Objects.requireNonNull(env, "env"));
    }

    /** The token is the content of {@code file}, without surrounding white space. */
    public static TokenSource file(String key, String file) {
        return new TokenSource(
                Objects.requireNonNull(key, "key"), Objects.requireNonNull(file, "file"), null);
    }

    /** Whether a variable or a file is named; false: the write endpoints are off. */
    public boolean isConfigured() {
        return key != null;
    }

    /**
     * Reads the token now; empty when none is configured.
     *
     * @throws ConfigException naming the key when the variable is unset or blank, or the file
     *     cannot be read or is blank; the message never holds the token
     */
    public Secret read() {
        if (!isConfigured()) {
            return Secret.empty();
        }
        var text = env != null ? fromVariable() : fromFile();
        var token = text.strip();
        if (token.isEmpty()) {
            throw problem(describe() + " is empty");
        }
        return Secret.of(token);
    }

    private String fromVariable() {
        var value = env.get(location);
        if (value == null) {
            throw problem(describe() + " is not set");
        }
        return value;
    }

    private String fromFile() {
        try {
            return Files.readString(Path.of(location));
        } catch (IOException | RuntimeException e) {
            throw problem("cannot read " + describe() + ": " + e.getClass().getSimpleName());
        }
    }

    private String describe() {
        return env != null
                ? "environment variable '" + location + "'"
                : "token file '" + location + "'";
    }

    private ConfigException problem(String what) {
        return new ConfigException(
                key
                        + ": "
                        + what
                        + " (the HTTP API's write endpoints need the token; remove "
                        + key
                        + " to leave them off)");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TokenSource source
                && Objects.equals(source.key, key)
                && Objects.equals(source.location, location)
                && (source.env == null) == (env == null);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, location);
    }

    /** Names the source, never the token nor the rest of the environment. */
    @Override
    public String toString() {
        return isConfigured() ? describe() : "none";
    }
}
