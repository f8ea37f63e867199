package io.refreshorchestrator.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads typed values from a configuration tree by key path ({@code postgres.port}), applying
 * environment overrides and collecting every problem instead of stopping at the first one.
 *
 * <p>A scalar key can be overridden by the environment variable {@code
 * REFRESH_ORCHESTRATOR_<PATH>}: the path upper-cased with {@code .} and {@code -} turned into
 * {@code _}, e.g. {@code REFRESH_ORCHESTRATOR_KAFKA_BOOTSTRAP_SERVERS}. Lists accept a
 * comma-separated override. A key given twice in one mapping is a problem (a YAML reader would keep
 * only the last one); callers reject unknown keys of each section and unknown sections. Call {@link
 * #throwIfInvalid()} once every section has been read.
 */
public final class ConfigReader {

    /** Prefix of every environment override. */
    public static final String ENV_PREFIX = "REFRESH_ORCHESTRATOR_";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final JsonNode root;
    private final Map<String, String> env;
    private final Set<String> problems = new LinkedHashSet<>();

    /**
     * A reader over {@code root}.
     *
     * @param env the environment (overrides, password variables); {@code System.getenv()} in
     *     production, a plain map in tests
     */
    public ConfigReader(JsonNode root, Map<String, String> env) {
        this.env = Map.copyOf(env);
        if (root == null || root.isMissingNode() || root.isNull()) {
            this.root = JsonNodeFactory.instance.objectNode();
        } else if (!root.isObject()) {
            this.root = JsonNodeFactory.instance.objectNode();
            problems.add("(top level): must be a mapping of sections, found " + describe(root));
        } else {
            this.root = root;
        }
    }

    /**
     * A reader over the YAML file {@code file}.
     *
     * @throws ConfigException when the file cannot be read or is not valid YAML
     */
    public static ConfigReader fromYaml(Path file, Map<String, String> env) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read configuration file: " + e);
        }
        return fromYaml(text, file.toString(), env);
    }

    /** A reader over the YAML document {@code yaml}; {@code source} names it in messages. */
    public static ConfigReader fromYaml(String yaml, String source, Map<String, String> env) {
        try {
            var tree = yaml.isBlank() ? null : YAML.readTree(yaml);
            var reader = new ConfigReader(tree, env);
            reader.problems.addAll(DuplicateKeys.find(yaml));
            return reader;
        } catch (JsonProcessingException e) {
            throw new ConfigException(source + ": not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException(source + ": cannot read YAML: " + e.getMessage());
        }
    }

    /** The environment this reader applies. */
    public Map<String, String> env() {
        return env;
    }

    /** The environment variable that overrides {@code path}. */
    public static String envName(String path) {
        return ENV_PREFIX + path.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** Whether {@code path} has a non-null value in the file or in the environment. */
    public boolean isSet(String path) {
        return env.containsKey(envName(path)) || node(path).isPresent();
    }

    /** The node at {@code path} in the file (no environment override), absent when null. */
    public Optional<JsonNode> node(String path) {
        JsonNode current = root;
        for (var key : path.split("\\.")) {
            if (current == null || !current.isObject()) {
                return Optional.empty();
            }
            current = current.get(key);
        }
        return current == null || current.isNull() || current.isMissingNode()
                ? Optional.empty()
                : Optional.of(current);
    }

    /** The scalar at {@code path} as text; a problem is recorded when it is not a scalar. */
    public Optional<String> string(String path) {
        var override = env.get(envName(path));
        if (override != null) {
            return Optional.of(override.trim());
        }
        var node = node(path);
        if (node.isEmpty()) {
            return Optional.empty();
        }
        if (!node.get().isValueNode()) {
            problem(path, "must be a single value, found " + describe(node.get()));
            return Optional.empty();
        }
        return Optional.of(node.get().asText().trim());
    }

    /** The scalar at {@code path}, or {@code defaultValue}. */
    public String string(String path, String defaultValue) {
        return string(path).filter(text -> !text.isEmpty()).orElse(defaultValue);
    }

    /** The scalar at {@code path}; records "required" and returns null when absent or blank. */
    public String requiredString(String path) {
        var value = string(path);
        if (value.isEmpty() || value.get().isEmpty()) {
            if (value.isEmpty() && !hasProblem(path)) {
                problem(path, "required (or set " + envName(path) + ")");
            } else if (value.isPresent()) {
                problem(path, "must not be empty");
            }
            return null;
        }
        return value.get();
    }

    /** The integer at {@code path} within {@code [min, max]}, or {@code defaultValue}. */
    public int integer(String path, int defaultValue, int min, int max) {
        var text = string(path);
        if (text.isEmpty()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(text.get());
            if (value < min || value > max) {
                problem(path, "must be between " + min + " and " + max + origin(path));
                return defaultValue;
            }
            return value;
        } catch (NumberFormatException e) {
            problem(path, "not an integer: '" + text.get() + "'" + origin(path));
            return defaultValue;
        }
    }

    /** The boolean ({@code true}/{@code false}) at {@code path}, or {@code defaultValue}. */
    public boolean bool(String path, boolean defaultValue) {
        var text = string(path);
        if (text.isEmpty()) {
            return defaultValue;
        }
        return switch (text.get().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> {
                problem(path, "not a boolean: '" + text.get() + "'" + origin(path));
                yield defaultValue;
            }
        };
    }

    /**
     * The duration at {@code path} ({@code 250ms}, {@code 10s}, {@code PT10S}), at least {@code
     * min}, or {@code defaultValue}.
     */
    public Duration duration(String path, Duration defaultValue, Duration min) {
        var text = string(path);
        if (text.isEmpty()) {
            return defaultValue;
        }
        try {
            var value = Durations.parse(text.get());
            if (value.compareTo(min) < 0) {
                problem(path, "must be at least " + Durations.format(min) + origin(path));
                return defaultValue;
            }
            return value;
        } catch (IllegalArgumentException e) {
            problem(path, e.getMessage() + origin(path));
            return defaultValue;
        }
    }

    /**
     * The list of strings at {@code path}: a YAML sequence of scalars, or a comma-separated string
     * (also from the environment). Empty when absent.
     */
    public List<String> stringList(String path) {
        var override = env.get(envName(path));
        if (override != null) {
            return splitCommas(override);
        }
        var node = node(path);
        if (node.isEmpty()) {
            return List.of();
        }
        if (node.get().isValueNode()) {
            return splitCommas(node.get().asText());
        }
        if (!node.get().isArray()) {
            problem(path, "must be a list, found " + describe(node.get()));
            return List.of();
        }
        var values = new ArrayList<String>();
        for (int i = 0; i < node.get().size(); i++) {
            var element = node.get().get(i);
            if (element.isValueNode() && !element.isNull() && !element.asText().isBlank()) {
                values.add(element.asText().trim());
            } else {
                problem(
                        path + "[" + i + "]",
                        "must be a non-empty value, found " + describe(element));
            }
        }
        return values;
    }

    /** The mapping of scalars at {@code path} (extra client properties); empty when absent. */
    public Map<String, String> stringMap(String path) {
        var node = node(path);
        if (node.isEmpty()) {
            return Map.of();
        }
        if (!node.get().isObject()) {
            problem(path, "must be a mapping, found " + describe(node.get()));
            return Map.of();
        }
        var values = new LinkedHashMap<String, String>();
        for (var field : node.get().properties()) {
            if (field.getValue().isValueNode() && !field.getValue().isNull()) {
                values.put(field.getKey(), field.getValue().asText());
            } else {
                problem(
                        path + "." + field.getKey(),
                        "must be a single value, found " + describe(field.getValue()));
            }
        }
        return values;
    }

    /**
     * Records a problem for every key of the section at {@code path} that is not in {@code known}
     * (typos would otherwise silently fall back to defaults), and for a section that is not a
     * mapping.
     */
    public void rejectUnknownKeys(String path, Set<String> known) {
        var section = node(path);
        if (section.isEmpty()) {
            return;
        }
        if (!section.get().isObject()) {
            problem(path, "must be a mapping, found " + describe(section.get()));
            return;
        }
        section.get()
                .fieldNames()
                .forEachRemaining(
                        key -> {
                            if (!known.contains(key)) {
                                problem(
                                        path + "." + key,
                                        "unknown key (known: " + new TreeSet<>(known) + ")");
                            }
                        });
    }

    /**
     * Records a problem for every top-level key that is not one of {@code sections}, and for a file
     * whose top level is not a mapping (already recorded by the constructor).
     */
    public void rejectUnknownSections(Set<String> sections) {
        root.fieldNames()
                .forEachRemaining(
                        key -> {
                            if (!sections.contains(key)) {
                                problem(
                                        key,
                                        "unknown section (known: " + new TreeSet<>(sections) + ")");
                            }
                        });
    }

    /** Records a problem with the value at {@code path}. */
    public void problem(String path, String message) {
        problems.add(path + ": " + message);
    }

    /** Every problem recorded so far, in the order found. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /**
     * @throws ConfigException listing every problem, when there is at least one
     */
    public void throwIfInvalid() {
        if (!problems.isEmpty()) {
            throw new ConfigException(List.copyOf(problems));
        }
    }

    /** A copy of the tree at {@code path} as a mutable object (for sections read by Jackson). */
    public ObjectNode section(String path) {
        return node(path)
                .filter(JsonNode::isObject)
                .map(node -> ((ObjectNode) node).deepCopy())
                .orElseGet(JsonNodeFactory.instance::objectNode);
    }

    private boolean hasProblem(String path) {
        return problems.stream().anyMatch(problem -> problem.startsWith(path + ": "));
    }

    private String origin(String path) {
        var name = envName(path);
        return env.containsKey(name) ? " (from " + name + ")" : "";
    }

    private static List<String> splitCommas(String text) {
        return Arrays.stream(text.split(","))
                .map(String::trim)
                .filter(value -> !value.isEmpty())
                .toList();
    }

    private static String describe(JsonNode node) {
        if (node.isObject()) {
            return "a mapping";
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isNull()) {
            return "nothing";
        }
        return "'" + node.asText() + "'";
    }
}
