package io.refreshorchestrator.executor;

import io.refreshorchestrator.discovery.JobAction;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One HTTP job's request, sent with the JDK client. {@code ${env:NAME}} in the URL, a header or the
 * body is replaced by the environment variable at send time, so secrets stay out of the
 * configuration file, the logs and the results (which report only the status).
 */
final class HttpCall {

    private static final Pattern ENV = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

    private final HttpClient client;
    private final Function<String, String> env;

    HttpCall(Function<String, String> env) {
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        this.env = env;
    }

    /** Thrown for a response that is not 2xx; {@code retryable} for 5xx and 429. */
    static final class StatusException extends IOException {
        final int status;

        StatusException(int status) {
            super("HTTP " + status);
            this.status = status;
        }

        boolean retryable() {
            return status >= 500 || status == 429;
        }
    }

    /**
     * Sends the request and returns the status of a 2xx response.
     *
     * @throws java.net.http.HttpTimeoutException past the job's timeout
     * @throws StatusException for any other status
     * @throws IOException when the server cannot be reached
     */
    int send(JobAction.CallHttp call) throws IOException, InterruptedException {
        var request =
                HttpRequest.newBuilder(URI.create(resolve(call.url().toString())))
                        .timeout(call.timeout())
                        .method(
                                call.method(),
                                call.body() == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(
                                                resolve(call.body())));
        for (Map.Entry<String, String> header : call.headers().entrySet()) {
            request.header(header.getKey(), resolve(header.getValue()));
        }
        HttpResponse<Void> response =
                client.send(request.build(), HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() / 100 != 2) {
            throw new StatusException(response.statusCode());
        }
        return response.statusCode();
    }

    /** Replaces {@code ${env:NAME}}; a variable that is not set is an error naming it only. */
    String resolve(String text) {
        Matcher matcher = ENV.matcher(text);
        StringBuilder resolved = new StringBuilder();
        while (matcher.find()) {
            String value = env.apply(matcher.group(1));
            if (value == null) {
                throw new IllegalStateException(
                        "environment variable " + matcher.group(1) + " is not set");
            }
            matcher.appendReplacement(resolved, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(resolved);
        return resolved.toString();
    }
}
