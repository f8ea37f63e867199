package io.refreshorchestrator.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Code blocks of the repository's README.md marked {@code <!-- NAME:begin -->} and {@code <!--
 * NAME:end -->}: a test runs what the README shows, so the two cannot drift.
 */
final class ReadmeBlocks {

    private ReadmeBlocks() {}

    /** The text inside the fenced {@code sql} code block between the markers {@code name}. */
    static String sql(String name) {
        return block(name, "sql");
    }

    /**
     * The text inside the fenced code block of {@code language} between the markers {@code name}.
     */
    static String block(String name, String language) {
        var text = readme();
        var block =
                Pattern.compile(
                                "<!-- "
                                        + Pattern.quote(name)
                                        + ":begin -->\\s*```"
                                        + Pattern.quote(language)
                                        + "\\n(.*?)```\\s*<!-- "
                                        + Pattern.quote(name)
                                        + ":end -->",
                                Pattern.DOTALL)
                        .matcher(text);
        if (!block.find()) {
            throw new AssertionError("README.md has no ```" + language + " block marked " + name);
        }
        return block.group(1);
    }

    /** The README.md of the repository: the first one found from the working directory up. */
    private static String readme() {
        for (var dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            var file = dir.resolve("README.md");
            if (Files.exists(file) && Files.exists(dir.resolve("mvnw"))) {
                try {
                    return Files.readString(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new AssertionError("no README.md next to mvnw above " + Path.of("").toAbsolutePath());
    }
}
