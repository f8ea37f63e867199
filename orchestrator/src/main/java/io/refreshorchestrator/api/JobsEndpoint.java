package io.refreshorchestrator.api;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.Map;

/** Routes {@code /jobs}, {@code /jobs/{name}} and {@code POST /jobs/{name}/{action}}. */
final class JobsEndpoint {

    private final JobsReport jobs;
    private final JobControlEndpoint control;

    JobsEndpoint(JobsReport jobs, JobControlEndpoint control) {
        this.jobs = jobs;
        this.control = control;
    }

    void handle(HttpExchange exchange) throws IOException {
        var path = exchange.getRequestURI().getPath();
        var rest =
                path.equals("/jobs") || path.equals("/jobs/")
                        ? ""
                        : path.substring("/jobs/".length());
        var method = exchange.getRequestMethod();
        int slash = rest.lastIndexOf('/');
        if (method.equals("POST") && slash > 0) {
            control.handle(exchange, rest.substring(0, slash), rest.substring(slash + 1));
            return;
        }
        if (!method.equals("GET")) {
            HttpApi.json(exchange, 405, Map.of("error", method + " is not allowed on " + path));
            return;
        }
        if (rest.isEmpty()) {
            HttpApi.json(exchange, 200, Map.of("jobs", jobs.all()));
            return;
        }
        var job = jobs.one(rest);
        if (job.isPresent()) {
            HttpApi.json(exchange, 200, job.get());
        } else {
            HttpApi.json(exchange, 404, Map.of("error", "no job '" + rest + "'"));
        }
    }
}
