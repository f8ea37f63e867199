package io.refreshorchestrator.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a {@link PostgresServer} is started: extra server settings ({@code -c name=value}), whether
 * it must survive an operating-system crash, and how long the start may take.
 *
 * @param settings extra server settings; they override the defaults of {@link #serverSettings()}
 * @param durable false (the default) turns {@code fsync} off and skips initdb's sync: much faster,
 *     and only an operating-system crash could lose data, which tests never need to survive
 * @param startTimeout how long {@code pg_ctl start} may wait for the server to accept connections
 */
public record PostgresOptions(
        Map<String, String> settings, boolean durable, Duration startTimeout) {

    private static final Pattern SETTING_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");
    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_.,:/@%+=-]+");

    public PostgresOptions {
        settings = Map.copyOf(settings);
        settings.keySet().forEach(PostgresOptions::requireValidName);
        Objects.requireNonNull(startTimeout, "startTimeout");
    }

    /** Logical decoding enabled, fsync off, 60 s to start. */
    public static PostgresOptions defaults() {
        return new PostgresOptions(Map.of(), false, Duration.ofSeconds(60));
    }

    /** Adds or replaces one server setting, e.g. {@code withSetting("max_connections", "200")}. */
    public PostgresOptions withSetting(String name, String value) {
        var copy = new LinkedHashMap<>(settings);
        copy.put(name, Objects.requireNonNull(value, "value"));
        return new PostgresOptions(copy, durable, startTimeout);
    }

    public PostgresOptions withDurable(boolean durable) {
        return new PostgresOptions(settings, durable, startTimeout);
    }

    public PostgresOptions withStartTimeout(Duration startTimeout) {
        return new PostgresOptions(settings, durable, startTimeout);
    }

    /**
     * The settings the server starts with: loopback only, {@code wal_level=logical} with room for
     * 16 replication slots and WAL senders, fsync off unless durable, then {@link #settings()}.
     */
    public Map<String, String> serverSettings() {
        var all = new LinkedHashMap<String, String>();
        all.put("listen_addresses", "127.0.0.1");
        all.put("wal_level", "logical");
        all.put("max_wal_senders", "16");
        all.put("max_replication_slots", "16");
        all.put("fsync", durable ? "on" : "off");
        all.putAll(new java.util.TreeMap<>(settings));
        return all;
    }

    /**
     * The value of {@code pg_ctl -o}: port, Unix socket directory and every setting. pg_ctl hands
     * it to {@code /bin/sh}, so values are shell-quoted where needed.
     */
    String serverArguments(int port, Path socketDirectory) {
        var arguments = new StringBuilder();
        arguments
                .append("-p ")
                .append(port)
                .append(" -k ")
                .append(shellQuote(socketDirectory.toString()));
        serverSettings()
                .forEach(
                        (name, value) ->
                                arguments.append(" -c ").append(shellQuote(name + "=" + value)));
        return arguments.toString();
    }

    static String shellQuote(String word) {
        if (SHELL_SAFE.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    private static void requireValidName(String name) {
        if (!SETTING_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Not a PostgreSQL setting name: '" + name + "'");
        }
    }
}
