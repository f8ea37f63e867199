/**
 * Local services for tests, the benchmark and the local demo: a real single-node Kafka broker
 * ({@link io.refreshorchestrator.local.KafkaBroker}) and a real PostgreSQL ({@link
 * io.refreshorchestrator.local.PostgresServer}) on free loopback ports, together in a {@link
 * io.refreshorchestrator.local.LocalStack}, shared by integration tests through {@link
 * io.refreshorchestrator.local.LocalStackExtension}. No Docker needed: the broker runs from Maven
 * artifacts in a child JVM, PostgreSQL from the machine's binaries.
 */
package io.refreshorchestrator.local;
