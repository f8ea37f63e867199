package io.refreshorchestrator.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The {@code kafka-acls.sh --add} commands of the README's block between {@code kafka-acls}
 * markers, read as the ACL bindings they create, so a test grants exactly what the README tells
 * operators to grant. Only the options the README uses are understood; any other makes the block
 * unreadable rather than silently ignored.
 */
final class ReadmeKafkaAcls {

    private ReadmeKafkaAcls() {}

    static List<AclBinding> read() {
        var bindings = new ArrayList<AclBinding>();
        for (String command : commands(ReadmeBlocks.block("kafka-acls", "bash"))) {
            bindings.addAll(parse(command));
        }
        if (bindings.isEmpty()) {
            throw new AssertionError("the README's kafka-acls block grants nothing");
        }
        return bindings;
    }

    /** The block's shell commands, continuation lines joined, comments and fences dropped. */
    private static List<String> commands(String block) {
        var commands = new ArrayList<String>();
        var current = new StringBuilder();
        for (String line : block.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#")) {
                continue;
            }
            boolean continued = trimmed.endsWith("\\");
            current.append(continued ? trimmed.substring(0, trimmed.length() - 1) : trimmed)
                    .append(' ');
            if (!continued && !current.toString().isBlank()) {
                commands.add(current.toString().strip());
                current.setLength(0);
            }
        }
        return commands;
    }

    private static List<AclBinding> parse(String command) {
        String[] words = command.split("\\s+");
        if (!words[0].equals("kafka-acls.sh")) {
            throw new IllegalStateException("not a kafka-acls.sh command: " + command);
        }
        String principal = null;
        var operations = new ArrayList<AclOperation>();
        ResourceType type = null;
        String name = null;
        PatternType pattern = PatternType.LITERAL;
        boolean add = false;
        for (int i = 1; i < words.length; i++) {
            switch (words[i]) {
                case "--add" -> add = true;
                case "--bootstrap-server", "--command-config" -> i++;
                case "--allow-principal" -> principal = words[++i];
                case "--operation" -> operations.add(operation(words[++i]));
                case "--topic" -> {
                    type = ResourceType.TOPIC;
                    name = words[++i];
                }
                case "--group" -> {
                    type = ResourceType.GROUP;
                    name = words[++i];
                }
                case "--transactional-id" -> {
                    type = ResourceType.TRANSACTIONAL_ID;
                    name = words[++i];
                }
                case "--cluster" -> {
                    type = ResourceType.CLUSTER;
                    name = "kafka-cluster";
                }
                case "--resource-pattern-type" ->
                        pattern = PatternType.fromString(words[++i].toUpperCase(Locale.ROOT));
                default ->
                        throw new IllegalStateException(
                                "option " + words[i] + " is not understood in: " + command);
            }
        }
        if (!add || principal == null || type == null || operations.isEmpty()) {
            throw new IllegalStateException("incomplete kafka-acls.sh --add command: " + command);
        }
        var resource = new ResourcePattern(type, name, pattern);
        var bindings = new ArrayList<AclBinding>();
        for (AclOperation operation : operations) {
            bindings.add(
                    new AclBinding(
                            resource,
                            new AccessControlEntry(
                                    principal, "*", operation, AclPermissionType.ALLOW)));
        }
        return bindings;
    }

    /** kafka-acls.sh spells operations in CamelCase: {@code DescribeConfigs}. */
    private static AclOperation operation(String word) {
        var operation =
                AclOperation.fromString(
                        word.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT));
        if (operation == AclOperation.UNKNOWN) {
            throw new IllegalStateException("unknown operation " + word);
        }
        return operation;
    }
}
