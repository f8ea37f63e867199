package io.refreshorchestrator.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves {@code ${env:NAME}} in configuration values from the environment, so secrets (a SASL
 * password, a keystore password) live in the environment, never in the file.
 */
public final class EnvReferences {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

    private EnvReferences() {}

    /**
     * {@code values} with every {@code ${env:NAME}} replaced by the variable's value; a variable
     * that is not set is a problem at {@code path.<key>} that names the variable (never a value).
     */
    public static Map<String, String> resolve(
            ConfigReader reader, String path, Map<String, String> values) {
        var resolved = new LinkedHashMap<String, String>();
        values.forEach((key, value) -> resolved.put(key, resolve(reader, path + "." + key, value)));
        return resolved;
    }

    private static String resolve(ConfigReader reader, String path, String value) {
        var matcher = REFERENCE.matcher(value);
        var text = new StringBuilder();
        while (matcher.find()) {
            var name = matcher.group(1);
            var variable = reader.env().get(name);
            if (variable == null) {
                reader.problem(path, "environment variable " + name + " is not set");
                variable = "";
            }
            matcher.appendReplacement(text, Matcher.quoteReplacement(variable));
        }
        matcher.appendTail(text);
        return text.toString();
    }
}
