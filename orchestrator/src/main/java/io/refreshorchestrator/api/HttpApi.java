package io.refreshorchestrator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.refreshorchestrator.cdc.CaptureHealth;
import io.refreshorchestrator.config.HttpSettings;
import io.refreshorchestrator.config.KafkaSettings;
import io.refreshorchestrator.config.PostgresSettings;
import io.refreshorchestrator.config.Secret;
import io.refreshorchestrator.discovery.JobGraph;
import io.refreshorchestrator.events.Json;
import io.refreshorchestrator.events.Topics;
import io.refreshorchestrator.executor.Executor;
import io.refreshorchestrator.topology.TopologyRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API of {@code run}: health, jobs, metrics and the guarded write endpoints, served by the
 * JDK's own HTTP server.
 */
public final class HttpApi implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

    private final HttpServer server;
    private final ExecutorService handlers;
    private final ResultsWatcher watcher;
    private final HttpPublisher publisher;
    private final ApiMetrics metrics;

    /** Collaborators of the API; {@code capture} is null when capture does not run here. */
    public record Parts(
            JobGraph graph,
            KafkaSettings kafka,
            Topics topics,
            String controlTopic,
            String deployment,
            PostgresSettings postgres,
            TopologyRunner topology,
            Executor executor,
            CaptureHealth capture) {}

    private HttpApi(HttpSettings settings, Secret token, Parts parts) throws IOException {
        // Bind first: a port in use fails before any Kafka client exists.
        server = HttpServer.create(new InetSocketAddress(settings.bind(), settings.port()), 0);
        var clock = Clock.systemUTC();
        var metricsHolder = new java.util.concurrent.atomic.AtomicReference<ApiMetrics>();
        watcher =
                new ResultsWatcher(
                        parts.kafka(),
                        parts.topics(),
                        settings.statsWindow(),
                        clock,
                        result -> metricsHolder.get().record(result));
        var jobs =
                new JobsReport(
                        parts.graph(), parts.topology(), watcher, settings.statsWindow(), clock);
        publisher =
                new HttpPublisher(
                        parts.kafka(),
                        parts.topics().refreshCommands().name(),
                        parts.controlTopic(),
                        parts.deployment(),
                        clock);
        metrics =
                new ApiMetrics(
                        parts.graph(),
                        parts.topology(),
                        parts.executor(),
                        parts.capture(),
                        jobs,
                        watcher,
                        publisher);
        metricsHolder.set(metrics);
        var readiness =
                new Readiness(
                        parts.topology(), parts.executor(), parts.postgres(), parts.capture());
        var control = new JobControlEndpoint(parts.graph(), publisher, token);
        handlers =
                Executors.newFixedThreadPool(
                        2, task -> new Thread(task, "refresh-orchestrator-http"));
        server.setExecutor(handlers);
        server.createContext(
                "/health/live", ex -> guarded(ex, () -> json(ex, 200, Map.of("live", true))));
        server.createContext(
                "/health/ready",
                ex ->
                        guarded(
                                ex,
                                () -> {
                                    var body = readiness.check();
                                    json(
                                            ex,
                                            Boolean.TRUE.equals(body.get("ready")) ? 200 : 503,
                                            body);
                                }));
        server.createContext(
                "/metrics",
                ex ->
                        guarded(
                                ex,
                                () ->
                                        send(
                                                ex,
                                                200,
                                                "text/plain; version=0.0.4; charset=utf-8",
                                                metrics.scrape())));
        server.createContext(
                "/jobs", ex -> guarded(ex, () -> new JobsEndpoint(jobs, control).handle(ex)));
        var thread = new Thread(watcher, "refresh-orchestrator-http-watcher");
        thread.setDaemon(true);
        thread.start();
        server.start();
    }

    /**
     * Starts the API; the caller closes it.
     *
     * @param token the bearer token of the write endpoints, read from {@code settings.token()};
     *     empty: they are off
     */
    public static HttpApi start(HttpSettings settings, Secret token, Parts parts) {
        try {
            var api = new HttpApi(settings, token, parts);
            LOG.info(
                    "HTTP API listening on http://{}:{} (write endpoints {})",
                    settings.bind(),
                    api.port(),
                    token.isEmpty() ? "off: no token configured" : "need the token");
            return api;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot listen on " + settings.bind() + ":" + settings.port(), e);
        }
    }

    /** The port listened on (the configured one, or the one picked for port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    interface Handler {
        void handle() throws IOException;
    }

    private static void guarded(HttpExchange exchange, Handler handler) {
        try (exchange) {
            handler.handle();
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "HTTP API: {} {} failed: {}",
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(),
                    e.toString());
            try {
                json(exchange, 500, Map.of("error", e.getClass().getSimpleName()));
            } catch (IOException | RuntimeException ignored) {
                // the response was already under way; the client sees a cut connection
            }
        }
    }

    static void json(HttpExchange exchange, int status, Object body) throws IOException {
        String text;
        try {
            text = Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IOException("cannot write the response body", e);
        }
        send(exchange, status, "application/json", text + "\n");
    }

    static void send(HttpExchange exchange, int status, String type, String text)
            throws IOException {
        var bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
        watcher.close();
        publisher.close();
        metrics.close();
    }
}
