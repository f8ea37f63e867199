package io.refreshorchestrator.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds keys given more than once in one mapping of a YAML document, at any depth. A YAML reader
 * keeps only the last of them, so the earlier one would be dropped without a word.
 */
final class DuplicateKeys {

    private static final YAMLFactory YAML = new YAMLFactory();

    private DuplicateKeys() {}

    /**
     * One problem per repeated key, {@code path: message}, with the path as the other problems name
     * it ({@code executor}, {@code jobs[1].view}).
     *
     * @throws IOException when the document is not valid YAML
     */
    static List<String> find(String yaml) throws IOException {
        var problems = new ArrayList<String>();
        // line of the first occurrence of each key, per mapping being read
        Deque<Map<String, Integer>> mappings = new ArrayDeque<>();
        try (JsonParser parser = YAML.createParser(yaml)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                switch (token) {
                    case START_OBJECT -> mappings.push(new HashMap<>());
                    case END_OBJECT -> mappings.pop();
                    case FIELD_NAME -> {
                        int line = parser.currentLocation().getLineNr();
                        Integer first = mappings.peek().putIfAbsent(parser.currentName(), line);
                        if (first != null) {
                            problems.add(
                                    path(parser.getParsingContext())
                                            + ": given more than once (lines "
                                            + first
                                            + " and "
                                            + line
                                            + "): only one may be set, merge them");
                        }
                    }
                    default -> {
                        // values need no check
                    }
                }
            }
        }
        return problems;
    }

    private static String path(JsonStreamContext context) {
        var parts = new ArrayDeque<String>();
        for (var c = context; c != null && !c.inRoot(); c = c.getParent()) {
            parts.push(c.inArray() ? "[" + c.getCurrentIndex() + "]" : "." + c.getCurrentName());
        }
        var path = String.join("", parts);
        return path.startsWith(".") ? path.substring(1) : path;
    }
}
