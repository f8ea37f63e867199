package io.refreshorchestrator.cdc;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Change capture cannot work with this database as it is (a missing privilege, {@code wal_level}
 * not logical, no free replication slot, ...): retrying cannot fix it, an operator must, so it is
 * {@linkplain CdcException#isPermanent permanent}. The message names each problem with the
 * statement that fixes it.
 */
public final class CaptureNotPossibleException extends CdcException {

    private final transient List<PreflightCheck> missing;

    public CaptureNotPossibleException(String database, List<PreflightCheck> missing) {
        super(message(database, missing), true);
        this.missing = List.copyOf(missing);
    }

    /** The checks that failed. */
    public List<PreflightCheck> missing() {
        return missing;
    }

    private static String message(String database, List<PreflightCheck> missing) {
        return "PostgreSQL database '"
                + database
                + "' is not ready for change capture ("
                + missing.size()
                + " problem(s); retrying cannot fix them):"
                + System.lineSeparator()
                + missing.stream()
                        .map(PreflightCheck::describe)
                        .collect(Collectors.joining(System.lineSeparator()));
    }
}
