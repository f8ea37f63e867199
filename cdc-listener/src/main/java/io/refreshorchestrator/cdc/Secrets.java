package io.refreshorchestrator.cdc;

import io.refreshorchestrator.config.Secret;

/** Keeps secrets out of messages that come from third-party code. */
final class Secrets {

    private Secrets() {}

    /** {@code text} with every occurrence of {@code secret} replaced by {@code ****}. */
    static String scrub(String text, Secret secret) {
        if (text == null || secret.isEmpty()) {
            return text;
        }
        return text.replace(secret.reveal(), "****");
    }
}
