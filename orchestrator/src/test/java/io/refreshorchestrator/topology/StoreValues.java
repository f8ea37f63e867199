package io.refreshorchestrator.topology;

/**
 * Reads the topology's internal store values (compact, package-private) for tests in other packages
 * that watch a changelog topic.
 */
public final class StoreValues {

    private StoreValues() {}

    /**
     * Whether a {@code job-state} changelog value says the job is paused; false for a tombstone.
     */
    public static boolean paused(byte[] jobState) {
        JobState state = InternalSerdes.JOB_STATE.read(jobState);
        return state != null && state.paused();
    }

    /** The number of changes in a {@code debounce-pending} changelog value; 0 for a tombstone. */
    public static long pendingCount(byte[] pending) {
        PendingChanges changes = InternalSerdes.PENDING.read(pending);
        return changes == null ? 0 : changes.count();
    }
}
