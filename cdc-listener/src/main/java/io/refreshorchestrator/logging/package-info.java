/** What operators read: outages reported once, not once per retry; the log format. */
package io.refreshorchestrator.logging;
