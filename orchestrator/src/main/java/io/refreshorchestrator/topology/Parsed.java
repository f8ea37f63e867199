package io.refreshorchestrator.topology;

/**
 * What a tolerant reader made of one input record: a value to act on, a record that is valid but
 * none of our business (a tombstone, a transaction marker), or one that cannot be read, which goes
 * to the dead-letter topic with {@code reason}.
 */
sealed interface Parsed<T> {

    /** A value to act on. */
    record Value<T>(T value) implements Parsed<T> {}

    /** A valid record that carries nothing to act on; {@code why} is for debug logs. */
    record Ignored<T>(String why) implements Parsed<T> {}

    /** A record that cannot be read; {@code reason} names the field and the problem. */
    record Invalid<T>(String reason) implements Parsed<T> {}

    /** This outcome, when it is not a value, as an outcome of another reader's type. */
    default <U> Parsed<U> retyped() {
        if (this instanceof Ignored<T> ignored) {
            return new Ignored<>(ignored.why());
        }
        if (this instanceof Invalid<T> invalid) {
            return new Invalid<>(invalid.reason());
        }
        throw new IllegalStateException("a value cannot be retyped");
    }
}
