package io.refreshorchestrator.cdc;

/** PostgreSQL's text form of a WAL position ({@code 0/15B9598}) for log lines. */
final class Lsns {

    private Lsns() {}

    static String format(Long lsn) {
        return lsn == null
                ? "none"
                : Long.toHexString(lsn >>> 32).toUpperCase(java.util.Locale.ROOT)
                        + "/"
                        + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase(java.util.Locale.ROOT);
    }
}
