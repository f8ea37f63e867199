package io.refreshorchestrator.config;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Hides the values of secret-looking keys (passwords, JAAS configs, tokens) before printing. */
public final class Redaction {

    private static final Pattern SECRET_KEY =
            Pattern.compile(".*(password|passwd|secret|token|jaas|credential|key\\.pem|apikey).*");

    private Redaction() {}

    /** Whether the value of {@code key} must never be printed. */
    public static boolean isSecretKey(String key) {
        return SECRET_KEY.matcher(key.toLowerCase(Locale.ROOT)).matches();
    }

    /** A sorted copy of {@code properties} with secret values replaced by {@code ****}. */
    public static Map<String, String> redact(Map<String, ?> properties) {
        var redacted = new TreeMap<String, String>();
        properties.forEach(
                (key, value) ->
                        redacted.put(key, isSecretKey(key) ? "****" : String.valueOf(value)));
        return redacted;
    }
}
