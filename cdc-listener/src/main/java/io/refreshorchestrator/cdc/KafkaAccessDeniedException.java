package io.refreshorchestrator.cdc;

import java.util.Optional;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;

/**
 * Kafka refused change capture: its principal lacks an ACL (an {@link AuthorizationException}:
 * topic, group, transactional id or cluster) or the broker rejected its credentials (an {@link
 * AuthenticationException}, SASL or TLS). Retrying cannot fix either, an operator must: it is
 * {@linkplain CdcException#isPermanent permanent}. The message names the resource Kafka reports and
 * points to the README's Kafka ACL block.
 */
public final class KafkaAccessDeniedException extends CdcException {

    /** Where operators find the grants capture needs. */
    static final String ACL_HINT =
            "grant the ACLs of the README's Kafka ACL block (\"Secured Kafka\", kafka-acls.sh)";

    KafkaAccessDeniedException(String message) {
        super(message, true);
    }

    KafkaAccessDeniedException(String message, Throwable cause) {
        super(message, cause, true);
    }

    /** Whether {@code cause} itself (not its causes) is Kafka refusing access. */
    static boolean isDenial(Throwable cause) {
        return cause instanceof AuthorizationException || cause instanceof AuthenticationException;
    }

    /** The first Kafka authorization or authentication error among {@code failure}'s causes. */
    static Optional<KafkaException> denial(Throwable failure) {
        for (var cause = failure; cause != null; cause = cause.getCause()) {
            if (isDenial(cause)) {
                return Optional.of((KafkaException) cause);
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return Optional.empty();
    }

    /**
     * {@code failure} as this exception when Kafka refused access somewhere in its causes, with the
     * message of one already among them (it is returned unchanged when it is one itself, or when
     * Kafka did not refuse anything).
     *
     * @param doing what capture was doing, e.g. "Publishing change events"
     */
    static Throwable explain(String doing, Throwable failure) {
        if (failure instanceof KafkaAccessDeniedException) {
            return failure;
        }
        for (var cause = failure.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof KafkaAccessDeniedException explained) {
                // explained where it happened (our publisher), then wrapped by the engine
                return new KafkaAccessDeniedException(explained.getMessage(), failure);
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return denial(failure)
                .<Throwable>map(
                        denial -> new KafkaAccessDeniedException(message(doing, denial), failure))
                .orElse(failure);
    }

    /** What Kafka refused, as it reports it, and what fixes it. */
    static String message(String doing, KafkaException denial) {
        var text = new StringBuilder(doing).append(": ");
        if (denial instanceof AuthenticationException) {
            text.append("the Kafka broker rejected the credentials (")
                    .append(kafkaSays(denial))
                    .append("). Retrying cannot fix this: correct the SASL/TLS settings in")
                    .append(" kafka.properties");
        } else {
            text.append("Kafka denied access ")
                    .append(resource(denial))
                    .append("to this client's principal (")
                    .append(kafkaSays(denial))
                    .append("). Retrying cannot fix this: ")
                    .append(ACL_HINT);
        }
        return text.append("; capture checks again once a minute and resumes by itself, the")
                .append(" replication slot keeps the changes meanwhile")
                .toString();
    }

    private static String resource(KafkaException denial) {
        if (denial instanceof TopicAuthorizationException topics
                && !topics.unauthorizedTopics().isEmpty()) {
            return "to topic(s) " + topics.unauthorizedTopics() + " ";
        }
        if (denial instanceof GroupAuthorizationException group && group.groupId() != null) {
            return "to consumer group '" + group.groupId() + "' ";
        }
        return "";
    }

    private static String kafkaSays(KafkaException denial) {
        return denial.getClass().getSimpleName() + ": " + denial.getMessage();
    }
}
