package io.refreshorchestrator.demo;

import io.refreshorchestrator.discovery.JobSpec;
import io.refreshorchestrator.events.JobKind;
import java.util.stream.Collectors;

/** One line per job at start: kind, what makes it due, its policy. */
final class JobText {

    private JobText() {}

    static String of(JobSpec job) {
        var text = new StringBuilder("job ").append(job.name()).append(" (").append(job.kind());
        if (job.kind() == JobKind.REFRESH) {
            text.append(", debounce ")
                    .append(SummaryTable.human(job.policy().debounce()))
                    .append(", max-delay ")
                    .append(SummaryTable.human(job.policy().maxDelay()));
        }
        job.schedule()
                .ifPresent(s -> text.append(", schedule '").append(s.expression()).append("'"));
        text.append(")");
        if (!job.sources().isEmpty()) {
            text.append(" reads ")
                    .append(
                            job.sources().stream()
                                    .map(Object::toString)
                                    .collect(Collectors.joining(", ")));
        }
        if (!job.upstream().isEmpty()) {
            text.append(job.sources().isEmpty() ? " after " : "; after ")
                    .append(String.join(", ", job.upstream()));
        }
        return text.toString();
    }
}
