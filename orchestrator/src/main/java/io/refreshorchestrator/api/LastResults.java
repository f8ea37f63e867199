package io.refreshorchestrator.api;

import io.refreshorchestrator.config.KafkaSettings;
import io.refreshorchestrator.events.RefreshResult;
import io.refreshorchestrator.events.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.SerializationException;

/** The latest result of each job, read from the results topic from its beginning to its end. */
final class LastResults {

    private LastResults() {}

    /**
     * @throws TimeoutException when the topic cannot be read to its end within {@code timeout}
     */
    static Map<String, RefreshResult> read(KafkaSettings kafka, String topic, Duration timeout)
            throws TimeoutException {
        var latest = new HashMap<String, RefreshResult>();
        TopicScan.read(kafka, topic, Long.MAX_VALUE, timeout, value -> keepLatest(latest, value));
        return latest;
    }

    private static void keepLatest(Map<String, RefreshResult> latest, byte[] value) {
        RefreshResult result;
        try {
            result = Topics.RESULT_SERDE.read(value);
        } catch (SerializationException e) {
            return; // not ours to judge: status shows what it can read
        }
        if (result == null || result.job() == null) {
            return;
        }
        latest.merge(result.job(), result, LastResults::later);
    }

    /** Results of one job arrive in order on its partition; finishedAt breaks ties anyway. */
    private static RefreshResult later(RefreshResult known, RefreshResult next) {
        if (known.finishedAt() != null
                && next.finishedAt() != null
                && next.finishedAt().isBefore(known.finishedAt())) {
            return known;
        }
        return next;
    }
}
