package io.refreshorchestrator.api;

import com.sun.net.httpserver.HttpExchange;
import io.refreshorchestrator.config.Secret;
import io.refreshorchestrator.discovery.JobGraph;
import io.refreshorchestrator.events.JobControl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /jobs/{name}/refresh|pause|resume}: checks the bearer token, then publishes what the
 * CLI would. Without a configured token these endpoints are off, never open.
 */
final class JobControlEndpoint {

    private static final String BEARER = "Bearer ";

    private final JobGraph graph;
    private final HttpPublisher publisher;
    private final Secret token;

    JobControlEndpoint(JobGraph graph, HttpPublisher publisher, Secret token) {
        this.graph = graph;
        this.publisher = publisher;
        this.token = token;
    }

    void handle(HttpExchange exchange, String job, String action) throws IOException {
        if (token.isEmpty()) {
            HttpApi.json(
                    exchange,
                    403,
                    Map.of(
                            "error",
                            "write endpoints are off: no token configured (http.token-env or"
                                    + " http.token-file)"));
            return;
        }
        var header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.startsWith(BEARER)) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            HttpApi.json(exchange, 401, Map.of("error", "Authorization: Bearer <token> required"));
            return;
        }
        if (!matches(header.substring(BEARER.length()).strip())) {
            HttpApi.json(exchange, 403, Map.of("error", "wrong token"));
            return;
        }
        if (graph.job(job).isEmpty()) {
            HttpApi.json(exchange, 404, Map.of("error", "no job '" + job + "'"));
            return;
        }
        var body = new LinkedHashMap<String, Object>();
        body.put("job", job);
        body.put("action", action);
        try {
            switch (action) {
                case "refresh" -> body.put("commandId", publisher.refresh(job, "http-api"));
                case "pause" -> publisher.control(job, JobControl.Action.PAUSE, "http-api");
                case "resume" -> publisher.control(job, JobControl.Action.RESUME, "http-api");
                default -> {
                    HttpApi.json(
                            exchange,
                            404,
                            Map.of("error", "no action '" + action + "' (refresh, pause, resume)"));
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            HttpApi.json(exchange, 503, Map.of("error", "interrupted while publishing"));
            return;
        } catch (IllegalStateException e) {
            HttpApi.json(exchange, 503, Map.of("error", e.getMessage()));
            return;
        }
        HttpApi.json(exchange, 202, body);
    }

    /** Constant-time comparison, so response timing does not reveal the token. */
    private boolean matches(String presented) {
        return MessageDigest.isEqual(
                presented.getBytes(StandardCharsets.UTF_8),
                token.reveal().getBytes(StandardCharsets.UTF_8));
    }
}
