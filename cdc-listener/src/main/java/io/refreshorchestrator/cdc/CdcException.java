package io.refreshorchestrator.cdc;

import java.util.List;

/**
 * Change capture cannot start or continue; the message says what to fix. A <em>permanent</em> one
 * (a missing privilege, {@code wal_level} not logical, no free replication slot, a Kafka ACL that
 * is not granted, Kafka credentials the broker rejects) is not cured by retrying: it needs an
 * operator.
 */
public class CdcException extends RuntimeException {

    /** SQLSTATEs no retry cures: insufficient privilege, too many replication slots in use. */
    private static final java.util.Set<String> PERMANENT_SQL_STATES =
            java.util.Set.of("42501", "53400");

    private final boolean permanent;

    public CdcException(String message) {
        this(message, null, false);
    }

    public CdcException(String message, Throwable cause) {
        this(message, cause, false);
    }

    /** For subclasses that are permanent, or not, by their type. */
    protected CdcException(String message, boolean permanent) {
        this(message, null, permanent);
    }

    /** For subclasses that are permanent, or not, by their type, with the cause. */
    protected CdcException(String message, Throwable cause, boolean permanent) {
        super(message, cause);
        this.permanent = permanent;
    }

    /** A failure that needs an operator, not a retry. */
    public static CdcException permanent(String message) {
        return new CdcException(message, null, true);
    }

    /**
     * Whether {@code failure} needs an operator: a permanent {@link CdcException}, an SQL error
     * anywhere in its causes whose state says so (Debezium's own slot creation, for example), or a
     * Kafka authorization or authentication error anywhere in its causes (wrapped by the Debezium
     * engine, its offset store or our publisher: see {@link KafkaAccessDeniedException#denial}).
     */
    public static boolean isPermanent(Throwable failure) {
        for (var cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof CdcException cdc && cdc.permanent) {
                return true;
            }
            if (cause instanceof java.sql.SQLException sql
                    && PERMANENT_SQL_STATES.contains(sql.getSQLState())) {
                return true;
            }
            if (KafkaAccessDeniedException.isDenial(cause)) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    /** One exception listing several problems found together. */
    public static CdcException of(String summary, List<String> problems) {
        return new CdcException(list(summary, problems), null, false);
    }

    /** Like {@link #of}, for problems that need an operator. */
    public static CdcException permanentOf(String summary, List<String> problems) {
        return new CdcException(list(summary, problems), null, true);
    }

    private static String list(String summary, List<String> problems) {
        var text = new StringBuilder(summary);
        problems.forEach(
                problem -> text.append(System.lineSeparator()).append("  - ").append(problem));
        return text.toString();
    }
}
