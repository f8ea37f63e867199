package io.refreshorchestrator.local;

/** The clear failure of an operation the containers backend cannot do. */
final class UnsupportedByContainers {

    private UnsupportedByContainers() {}

    static UnsupportedOperationException of(String operation) {
        return new UnsupportedOperationException(
                operation
                        + " is not supported by the containers test stack (-D"
                        + StackBackend.PROPERTY
                        + "="
                        + StackBackend.CONTAINERS.propertyValue()
                        + "): a test that needs it runs with the local backend (the default,"
                        + " no -D"
                        + StackBackend.PROPERTY
                        + ")");
    }
}
