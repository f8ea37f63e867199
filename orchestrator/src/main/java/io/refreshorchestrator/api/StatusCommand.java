package io.refreshorchestrator.api;

import io.refreshorchestrator.config.OrchestratorConfig;
import io.refreshorchestrator.discovery.CatalogReader;
import io.refreshorchestrator.discovery.DiscoveryException;
import io.refreshorchestrator.discovery.JobSpec;
import io.refreshorchestrator.events.Json;
import io.refreshorchestrator.events.RefreshResult;
import io.refreshorchestrator.schedule.Schedules;
import java.io.PrintWriter;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code status}: each job's latest run and its next scheduled fire. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = {
            "Prints how change capture is doing (streaming, retrying since when, or failed and"
                    + " why; which instance captures and which stand by to take over; the last"
                    + " change's commit time; the WAL the replication slot retains;"
                    + " the latest capture reset), then every job (discovered as for plan) with its"
                    + " latest result from the results topic (status, when it finished, freshness"
                    + " lag, error) and, for a job with a schedule, its next fire time computed"
                    + " from the schedule. Reads PostgreSQL's catalog, the results and signals"
                    + " topics; changes nothing.",
            "",
            "Which Kafka: kafka.bootstrap-servers, or in local mode the embedded broker of the"
                    + " process running in the data directory (--data-dir), found through its"
                    + " instance.json.",
            "",
            "Exit codes: 0 printed, 1 PostgreSQL or Kafka unreachable or no local process"
                    + " running, 2 invalid configuration.",
        })
public final class StatusCommand implements Callable<Integer> {

    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);

    @Spec private CommandSpec spec;

    @Mixin private ReportOptions options;

    @Mixin private DataDirOption dataDir;

    @Override
    public Integer call() throws InterruptedException {
        var err = spec.commandLine().getErr();
        var loaded = options.load(err);
        if (loaded.isEmpty()) {
            return 2;
        }
        OrchestratorConfig settings = loaded.get();
        final KafkaTarget target;
        try {
            target = KafkaTarget.resolve(Optional.of(settings), dataDir, err);
            CliKafka.requireReachable(target.kafka());
        } catch (CommandFailure e) {
            err.println(e.getMessage());
            return e.exitCode();
        }
        var postgres = settings.postgres();
        final List<JobSpec> jobs;
        final Map<String, RefreshResult> latest;
        CaptureReport capture = null;
        String topic = target.resultsTopic();
        try (var connection =
                DriverManager.getConnection(postgres.jdbcUrl(), postgres.jdbcProperties())) {
            jobs = CatalogReader.discover(connection, settings.jobs()).graph().topologicalOrder();
            latest = LastResults.read(target.kafka(), topic, KAFKA_TIMEOUT);
            if (settings.cdcEnabled()) {
                topic = settings.cdc().signalsTopic();
                capture =
                        CaptureReport.read(
                                settings.cdc(), target.kafka(), connection, KAFKA_TIMEOUT);
            }
        } catch (DiscoveryException e) {
            err.println(e.getMessage());
            return 2;
        } catch (SQLException e) {
            err.println("Cannot read the catalog at " + postgres.jdbcUrl() + ": " + e.getMessage());
            return 1;
        } catch (TimeoutException | org.apache.kafka.common.KafkaException e) {
            err.println("Cannot read " + topic + ": " + e.getMessage());
            return 1;
        }
        var now = Instant.now();
        var rows = rows(jobs, latest, now);
        var out = spec.commandLine().getOut();
        if (options.json()) {
            printJson(out, rows, capture);
        } else {
            CaptureText.print(out, capture, settings.cdc().statusInterval(), now);
            print(out, rows);
        }
        return 0;
    }

    /** One job's line of the report. */
    record JobStatus(
            String job,
            String kind,
            String lastStatus,
            Instant lastFinishedAt,
            Long lastFreshnessLagMs,
            String lastError,
            Instant nextFire) {}

    static List<JobStatus> rows(
            List<JobSpec> jobs, Map<String, RefreshResult> latest, Instant now) {
        var rows = new ArrayList<JobStatus>();
        for (JobSpec job : jobs) {
            RefreshResult last = latest.get(job.name());
            rows.add(
                    new JobStatus(
                            job.name(),
                            job.kind().name(),
                            last == null ? null : last.status().name(),
                            last == null ? null : last.finishedAt(),
                            last == null ? null : last.freshnessLagMs(),
                            last == null || last.error() == null
                                    ? null
                                    : last.error().sqlState() + " " + last.error().message(),
                            job.schedule().map(s -> Schedules.nextFire(s, now)).orElse(null)));
        }
        return rows;
    }

    private static void printJson(PrintWriter out, List<JobStatus> rows, CaptureReport capture) {
        var report = new java.util.LinkedHashMap<String, Object>();
        report.put("version", 1);
        report.put("capture", capture);
        report.put("jobs", rows);
        try {
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(report));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the status as JSON", e);
        }
        out.flush();
    }

    private static void print(PrintWriter out, List<JobStatus> rows) {
        out.printf(
                "%-40s %-8s %-10s %-30s %10s  %-30s %s%n",
                "JOB", "KIND", "LAST", "FINISHED", "LAG MS", "NEXT FIRE", "ERROR");
        for (var row : rows) {
            out.printf(
                    "%-40s %-8s %-10s %-30s %10s  %-30s %s%n",
                    row.job(),
                    row.kind(),
                    row.lastStatus() == null ? "never run" : row.lastStatus(),
                    row.lastFinishedAt() == null ? "-" : row.lastFinishedAt(),
                    row.lastFreshnessLagMs() == null ? "-" : row.lastFreshnessLagMs(),
                    row.nextFire() == null ? "-" : row.nextFire(),
                    row.lastError() == null ? "" : row.lastError());
        }
        out.flush();
    }
}
