package io.refreshorchestrator.cdc;

import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;

/**
 * Whether a capture failure can go away by itself (retry with backoff) or needs an operator (report
 * and stop retrying).
 */
public enum CaptureFailure {
    /** The database or broker went away, a lock or slot is briefly held: retrying can fix it. */
    TRANSIENT,
    /** A missing privilege, {@code wal_level} not logical, no free replication slot. */
    PERMANENT;

    /** PostgreSQL's insufficient_privilege. */
    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    /** invalid_authorization_specification, invalid_password: the role or its password. */
    private static final Set<String> AUTHENTICATION = Set.of("28000", "28P01");

    /** configuration_limit_exceeded: "all replication slots are in use". */
    private static final String LIMIT_EXCEEDED = "53400";

    /** object_not_in_prerequisite_state, e.g. "logical decoding requires wal_level >= logical". */
    private static final String PREREQUISITE_STATE = "55000";

    /**
     * Classifies {@code failure} by its cause chain: a {@link CaptureNotPossibleException} (the
     * pre-flight check failed) or a PostgreSQL error that only an operator can fix is {@link
     * #PERMANENT}; anything else is {@link #TRANSIENT}.
     */
    public static CaptureFailure classify(Throwable failure) {
        var seen = new HashSet<Throwable>();
        for (var cause = failure; cause != null && seen.add(cause); cause = cause.getCause()) {
            if (cause instanceof CaptureNotPossibleException) {
                return PERMANENT;
            }
            if (cause instanceof SQLException sql && isPermanent(sql)) {
                return PERMANENT;
            }
        }
        return TRANSIENT;
    }

    private static boolean isPermanent(SQLException e) {
        var state = e.getSQLState();
        if (state == null) {
            return false;
        }
        if (INSUFFICIENT_PRIVILEGE.equals(state)
                || AUTHENTICATION.contains(state)
                || LIMIT_EXCEEDED.equals(state)) {
            return true;
        }
        // 55000 also covers states that pass (a slot being invalidated): only wal_level is sure
        var message = e.getMessage();
        return PREREQUISITE_STATE.equals(state) && message != null && message.contains("wal_level");
    }
}
