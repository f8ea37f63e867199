package io.refreshorchestrator.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The repository's {@code docker-compose.yml}, read as data: what its services set (environment,
 * mounts, published ports), so tests check and reuse the very values compose would apply.
 */
final class ComposeFile {

    /** The repository root, seen from a module's directory (where Maven runs the tests). */
    static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

    private final JsonNode root;

    private ComposeFile(JsonNode root) {
        this.root = root;
    }

    /** The repository's {@code docker-compose.yml}. */
    static ComposeFile read() throws IOException {
        return new ComposeFile(
                new ObjectMapper(new YAMLFactory())
                        .readTree(REPOSITORY.resolve("docker-compose.yml").toFile()));
    }

    List<String> services() {
        var names = new ArrayList<String>();
        root.path("services").fieldNames().forEachRemaining(names::add);
        return names;
    }

    JsonNode service(String name) {
        JsonNode service = root.path("services").path(name);
        if (!service.isObject()) {
            throw new AssertionError("docker-compose.yml has no service '" + name + "'");
        }
        return service;
    }

    /**
     * The service's {@code environment}, in either of compose's forms (a mapping, or a list of
     * {@code KEY=VALUE}), values as text.
     */
    Map<String, String> environment(String service) {
        var environment = new LinkedHashMap<String, String>();
        JsonNode node = service(service).path("environment");
        if (node.isObject()) {
            node.fields()
                    .forEachRemaining(
                            field -> environment.put(field.getKey(), field.getValue().asText()));
        } else {
            node.forEach(
                    entry -> {
                        String text = entry.asText();
                        int equals = text.indexOf('=');
                        environment.put(text.substring(0, equals), text.substring(equals + 1));
                    });
        }
        return environment;
    }

    /** The service's list at {@code key} (e.g. {@code ports}, {@code command}) as text. */
    List<String> list(String service, String key) {
        var values = new ArrayList<String>();
        service(service).path(key).forEach(value -> values.add(value.asText()));
        return values;
    }

    /**
     * The file on the host that the service mounts at {@code containerPath} (a short-syntax bind
     * mount {@code ./host:/container[:ro]}), resolved against the repository root.
     */
    Path hostFileMountedAt(String service, String containerPath) {
        for (String volume : list(service, "volumes")) {
            String[] parts = volume.split(":");
            if (parts.length >= 2 && parts[1].equals(containerPath)) {
                return REPOSITORY.resolve(parts[0]).normalize();
            }
        }
        throw new AssertionError(
                "service '" + service + "' mounts nothing at " + containerPath + " in compose");
    }

    /** The host files the service mounts under {@code containerDirectory}, by container path. */
    Map<String, Path> hostFilesMountedUnder(String service, String containerDirectory) {
        var files = new TreeMap<String, Path>();
        for (String volume : list(service, "volumes")) {
            String[] parts = volume.split(":");
            if (parts.length >= 2 && parts[1].startsWith(containerDirectory + "/")) {
                files.put(parts[1], REPOSITORY.resolve(parts[0]).normalize());
            }
        }
        return files;
    }
}
