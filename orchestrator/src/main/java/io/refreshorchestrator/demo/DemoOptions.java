package io.refreshorchestrator.demo;

import java.time.Duration;

/**
 * What the {@code demo} command was asked for.
 *
 * @param duration how long to run; null: until Ctrl-C or SIGTERM
 * @param compareCron the cron interval the summary compares with
 * @param writeInterval one burst of learner activity per interval
 * @param httpPort the HTTP API's port; a free one when it is taken
 * @param postgres where the PostgreSQL programs come from
 * @param mavenRepository where to download them from when they must be
 */
record DemoOptions(
        Duration duration,
        Duration compareCron,
        Duration writeInterval,
        int httpPort,
        DemoPostgres.Source postgres,
        String mavenRepository) {}
