package io.refreshorchestrator.executor;

import io.refreshorchestrator.events.RefreshMode;
import java.util.Objects;

/**
 * How one view will be refreshed.
 *
 * @param detail why BLOCKING was chosen, null for CONCURRENTLY
 */
public record RefreshPlan(RefreshMode mode, String detail) {

    public RefreshPlan {
        Objects.requireNonNull(mode, "mode");
    }

    public boolean concurrently() {
        return mode == RefreshMode.CONCURRENTLY;
    }
}
