package io.refreshorchestrator.events;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The immutable registry of the topics the orchestrator owns. Names are configurable; the defaults
 * are {@value #DEFAULT_COMMANDS}, {@value #DEFAULT_RESULTS} and {@value #DEFAULT_DLQ}. Every topic
 * is keyed by job name (a plain string).
 */
public record Topics(
        Topic<String, RefreshCommand> refreshCommands,
        Topic<String, RefreshResult> refreshResults,
        Topic<String, DeadLetter> refreshDlq) {

    public static final String DEFAULT_COMMANDS = "refresh-commands";
    public static final String DEFAULT_RESULTS = "refresh-results";
    public static final String DEFAULT_DLQ = "refresh-dlq";

    public static final JsonSerde<RefreshCommand> COMMAND_SERDE =
            new JsonSerde<>(RefreshCommand.class);
    public static final JsonSerde<RefreshResult> RESULT_SERDE =
            new JsonSerde<>(RefreshResult.class);
    public static final JsonSerde<DeadLetter> DEAD_LETTER_SERDE = new JsonSerde<>(DeadLetter.class);

    private static final Serde<String> KEY_SERDE = Serdes.String();

    /** The registry with the given names. */
    public static Topics named(String commands, String results, String dlq) {
        return new Topics(
                new Topic<>(commands, KEY_SERDE, COMMAND_SERDE),
                new Topic<>(results, KEY_SERDE, RESULT_SERDE),
                new Topic<>(dlq, KEY_SERDE, DEAD_LETTER_SERDE));
    }

    /** The registry with the default names. */
    public static Topics defaults() {
        return named(DEFAULT_COMMANDS, DEFAULT_RESULTS, DEFAULT_DLQ);
    }
}
