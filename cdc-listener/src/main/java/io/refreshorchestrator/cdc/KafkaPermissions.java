package io.refreshorchestrator.cdc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Checks, before the engine starts, that Kafka lets this client's principal do what capture does on
 * each of its topics, as the broker reports it ({@code describeTopics} with the authorized
 * operations): WRITE on the change, heartbeat and signals topics, READ and WRITE on the offsets
 * topic. Without it a missing ACL would surface only at the first change event, after capture
 * reported STREAMING. Brokers without an authorizer report every operation as authorized.
 */
final class KafkaPermissions {

    private KafkaPermissions() {}

    /** The operations capture needs on each of its topics. */
    static Map<String, Set<AclOperation>> required(CdcSettings settings) {
        var required = new LinkedHashMap<String, Set<AclOperation>>();
        TopicProvisioner.topicsFor(settings)
                .forEach(t -> required.put(t, Set.of(AclOperation.WRITE)));
        required.put(settings.offsetsTopic(), Set.of(AclOperation.READ, AclOperation.WRITE));
        return required;
    }

    /**
     * @throws KafkaAccessDeniedException naming each topic and missing operation
     * @throws CdcException when the broker does not answer within {@code timeout} (transient)
     */
    static void check(Admin admin, CdcSettings settings, Duration timeout)
            throws InterruptedException {
        var required = required(settings);
        var authorized = new LinkedHashMap<String, Set<AclOperation>>();
        var problems = new ArrayList<String>();
        var options = new DescribeTopicsOptions().includeAuthorizedOperations(true);
        var described = admin.describeTopics(required.keySet(), options).topicNameValues();
        for (var entry : described.entrySet()) {
            try {
                var operations =
                        entry.getValue()
                                .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                                .authorizedOperations();
                if (operations != null) {
                    authorized.put(entry.getKey(), operations);
                }
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    continue; // the offsets topic before the engine's first start creates it
                }
                if (KafkaAccessDeniedException.isDenial(e.getCause())) {
                    problems.add(
                            "topic '"
                                    + entry.getKey()
                                    + "': not even DESCRIBE is allowed ("
                                    + e.getCause().getMessage()
                                    + "); needed: "
                                    + required.get(entry.getKey()));
                    continue;
                }
                throw new CdcException(
                        "Cannot ask Kafka which operations are allowed on topic '"
                                + entry.getKey()
                                + "': "
                                + e.getCause(),
                        e.getCause());
            } catch (TimeoutException e) {
                throw new CdcException(
                        "Kafka did not describe topic '" + entry.getKey() + "' within " + timeout,
                        e);
            }
        }
        problems.addAll(missing(required, authorized));
        if (!problems.isEmpty()) {
            throw new KafkaAccessDeniedException(
                    CdcException.permanentOf(
                                    "Kafka denies this client's principal operations change capture"
                                            + " needs (retrying cannot fix this: "
                                            + KafkaAccessDeniedException.ACL_HINT
                                            + "; checked again once a minute, capture then"
                                            + " resumes by itself):",
                                    problems)
                            .getMessage());
        }
    }

    /**
     * One line per topic whose authorized operations lack a required one; topics the broker did not
     * describe are left out.
     */
    static List<String> missing(
            Map<String, Set<AclOperation>> required, Map<String, Set<AclOperation>> authorized) {
        var problems = new ArrayList<String>();
        required.forEach(
                (topic, needed) -> {
                    var allowed = authorized.get(topic);
                    if (allowed == null) {
                        return;
                    }
                    var lacking = new TreeSet<>(needed);
                    lacking.removeAll(allowed);
                    if (!lacking.isEmpty()) {
                        problems.add(
                                "topic '"
                                        + topic
                                        + "': "
                                        + String.join(
                                                ", ", lacking.stream().map(Enum::name).toList())
                                        + " not allowed (allowed: "
                                        + (allowed.isEmpty()
                                                ? "nothing"
                                                : String.join(
                                                        ", ",
                                                        new TreeSet<>(allowed)
                                                                .stream().map(Enum::name).toList()))
                                        + ")");
                    }
                });
        return problems;
    }
}
