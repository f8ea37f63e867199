package io.refreshorchestrator.topology;

import io.refreshorchestrator.events.DeadLetter;

/**
 * What a reading step hands downstream: a value, or a dead letter for the DLQ topic. One stream of
 * both keeps each reading step a single processor; {@link Outcomes#split} sends them apart.
 */
sealed interface Outcome<T> {

    /** A value for the next stage. */
    record Accepted<T>(T value) implements Outcome<T> {}

    /** An input record that could not be read, with the reason and where it came from. */
    record Rejected<T>(DeadLetter deadLetter) implements Outcome<T> {}
}
