package io.refreshorchestrator.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.refreshorchestrator.cdc.CaptureHealth;
import io.refreshorchestrator.discovery.JobGraph;
import io.refreshorchestrator.events.RefreshResult;
import io.refreshorchestrator.executor.Executor;
import io.refreshorchestrator.topology.TopologyRunner;
import java.time.Duration;

/**
 * The Prometheus registry behind {@code GET /metrics}: refresh results, pending work, capture, the
 * JVM, and Kafka Streams with its clients.
 */
final class ApiMetrics implements AutoCloseable {

    private static final String PREFIX = "refresh_orchestrator.";

    private final PrometheusMeterRegistry registry =
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final KafkaStreamsMetrics streamsMetrics;
    private final KafkaClientMetrics clientMetrics;
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();

    ApiMetrics(
            JobGraph graph,
            TopologyRunner topology,
            Executor executor,
            CaptureHealth capture,
            JobsReport jobs,
            ResultsWatcher watcher,
            HttpPublisher publisher) {
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        streamsMetrics = new KafkaStreamsMetrics(topology.kafkaStreams());
        streamsMetrics.bindTo(registry);
        clientMetrics = new KafkaClientMetrics(publisher.producer());
        clientMetrics.bindTo(registry);
        Gauge.builder(
                        PREFIX + "pending.jobs",
                        graph,
                        g ->
                                g.jobs().stream()
                                        .filter(
                                                job ->
                                                        topology.jobView(job.name())
                                                                .map(v -> v.pendingChanges() > 0)
                                                                .orElse(false))
                                        .count())
                .description("Jobs with changes not yet commanded")
                .register(registry);
        Gauge.builder(PREFIX + "commands.in.flight", executor, Executor::inFlight)
                .description("Commands this executor is running or holding for a worker")
                .register(registry);
        FunctionCounter.builder(PREFIX + "dlq.records", watcher, ResultsWatcher::deadLetters)
                .description("Records seen on the dead-letter topic")
                .register(registry);
        for (var job : graph.jobs()) {
            Gauge.builder(
                            PREFIX + "job.staleness",
                            jobs,
                            report -> report.staleness(job.name()).toMillis() / 1000.0)
                    .tag("job", job.name())
                    .baseUnit("seconds")
                    .description("Time since the oldest change not covered by a SUCCEEDED refresh")
                    .register(registry);
        }
        if (capture != null) {
            FunctionCounter.builder(
                            PREFIX + "change.events", capture, CaptureHealth::eventsPublished)
                    .description("Change events captured and published")
                    .register(registry);
            Gauge.builder(PREFIX + "capture.lag", capture, ApiMetrics::captureLagSeconds)
                    .baseUnit("seconds")
                    .description("Commit-to-publish time of the latest change event")
                    .register(registry);
            Gauge.builder(PREFIX + "slot.retained.wal", capture, ApiMetrics::retainedWal)
                    .baseUnit("bytes")
                    .description("WAL the replication slot holds back")
                    .register(registry);
        }
    }

    /** Counts and times one result (called for results that finished after start). */
    void record(RefreshResult result) {
        Counter.builder(PREFIX + "refreshes")
                .tag("job", result.job())
                .tag("status", String.valueOf(result.status()))
                .description("Refresh results by job and status")
                .register(registry)
                .increment();
        if (result.durationMs() != null) {
            Timer.builder(PREFIX + "refresh.duration")
                    .tag("job", result.job())
                    .publishPercentileHistogram()
                    .description("Run time of a refresh")
                    .register(registry)
                    .record(Duration.ofMillis(result.durationMs()));
        }
        if (result.freshnessLagMs() != null) {
            Timer.builder(PREFIX + "freshness.lag")
                    .tag("job", result.job())
                    .publishPercentileHistogram()
                    .description("finishedAt minus the commit time of the first change folded in")
                    .register(registry)
                    .record(Duration.ofMillis(result.freshnessLagMs()));
        }
    }

    String scrape() {
        return registry.scrape();
    }

    private static double captureLagSeconds(CaptureHealth capture) {
        var lag = capture.lastEventLag();
        return lag == null ? Double.NaN : lag.toMillis() / 1000.0;
    }

    private static double retainedWal(CaptureHealth capture) {
        var bytes = capture.snapshot().retainedWalBytes();
        return bytes == null ? Double.NaN : bytes;
    }

    @Override
    public void close() {
        streamsMetrics.close();
        clientMetrics.close();
        gcMetrics.close();
        registry.close();
    }
}
