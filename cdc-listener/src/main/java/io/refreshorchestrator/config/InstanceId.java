package io.refreshorchestrator.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The top-level {@code instance-id}: this process's stable name among the instances of one system.
 * It names the Kafka static members ({@code group.instance.id}) of the topology and the executor,
 * so that a restart takes its partitions back at once, and it is the capturing instance's name in
 * {@code status} and the log. Default: the host name.
 */
public final class InstanceId {

    public static final String KEY = "instance-id";

    private static final Pattern VALID = Pattern.compile("[a-zA-Z0-9._-]{1,100}");

    private InstanceId() {}

    /** The configured instance id, or {@link #defaultId()}; an invalid one is a problem. */
    public static String read(ConfigReader reader) {
        var value = reader.string(KEY, null);
        if (value == null) {
            return defaultId();
        }
        var problem = problem(value);
        if (problem != null) {
            reader.problem(KEY, "'" + value + "' " + problem);
            return defaultId();
        }
        return value;
    }

    /** Why {@code id} cannot be an instance id, or null when it can. */
    public static String problem(String id) {
        return id != null && VALID.matcher(id).matches()
                ? null
                : "must be 1-100 characters of a-z, A-Z, 0-9, '.', '_' and '-'";
    }

    /** The host name, lower-cased, with characters a Kafka member id cannot hold made '-'. */
    public static String defaultId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = System.getenv().getOrDefault("HOSTNAME", "localhost");
        }
        var id = host.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
        if (id.length() > 100) {
            id = id.substring(0, 100);
        }
        return id.isEmpty() ? "localhost" : id;
    }
}
