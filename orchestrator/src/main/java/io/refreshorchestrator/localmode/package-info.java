/**
 * Local mode: the data directory of a {@code run} without {@code kafka.bootstrap-servers} (the
 * embedded broker's data, a lock, the instance file) and how the other commands find the process
 * that runs there.
 */
package io.refreshorchestrator.localmode;
