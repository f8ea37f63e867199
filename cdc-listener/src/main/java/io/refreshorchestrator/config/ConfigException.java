package io.refreshorchestrator.config;

import java.util.List;

/** Invalid configuration: carries every problem found, each prefixed with its key path. */
public class ConfigException extends RuntimeException {

    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    public ConfigException(String problem) {
        this(List.of(problem));
    }

    /** Every problem, e.g. {@code postgres.port: must be between 1 and 65535}. */
    public List<String> problems() {
        return problems;
    }

    private static String describe(List<String> problems) {
        var text = new StringBuilder("Invalid configuration (");
        text.append(problems.size()).append(problems.size() == 1 ? " problem):" : " problems):");
        problems.forEach(
                problem -> text.append(System.lineSeparator()).append("  - ").append(problem));
        return text.toString();
    }
}
