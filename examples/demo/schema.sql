-- The demo's example schema (`refresh-orchestrator demo` creates it in a throwaway PostgreSQL).
-- Modelled on what learning platforms refresh with pg_cron today: source tables in "learning",
-- materialized views in "analytics" (every one of them is a job, found by discovery), and a
-- cleanup that is truly time-based (the sql job in orchestrator.yml next to this file).

CREATE SCHEMA learning;

CREATE TABLE learning.tracks (
    track_id  int PRIMARY KEY,
    title     text NOT NULL
);

CREATE TABLE learning.learners (
    learner_id bigint PRIMARY KEY,
    country    text NOT NULL,
    joined_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE learning.lesson_events (
    event_id    bigserial PRIMARY KEY,
    learner_id  bigint NOT NULL REFERENCES learning.learners,
    track_id    int NOT NULL REFERENCES learning.tracks,
    kind        text NOT NULL CHECK (kind IN ('started', 'completed')),
    occurred_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE learning.quiz_attempts (
    attempt_id   bigserial PRIMARY KEY,
    learner_id   bigint NOT NULL REFERENCES learning.learners,
    track_id     int NOT NULL REFERENCES learning.tracks,
    score        int NOT NULL CHECK (score BETWEEN 0 AND 100),
    completed    boolean NOT NULL,
    attempted_at timestamptz NOT NULL DEFAULT now()
);

-- What the platform's API served: read by the platform metrics view, trimmed by the cleanup job.
CREATE TABLE learning.api_requests (
    request_id   bigserial PRIMARY KEY,
    endpoint     text NOT NULL,
    status       int NOT NULL,
    duration_ms  int NOT NULL,
    requested_at timestamptz NOT NULL DEFAULT now()
);

CREATE SCHEMA analytics;

-- Daily active learners. A unique index on a plain column: refreshed CONCURRENTLY.
CREATE MATERIALIZED VIEW analytics.daily_active_learners AS
SELECT date_trunc('day', occurred_at) AS day,
       count(DISTINCT learner_id)    AS active_learners,
       count(*)                      AS lesson_events
FROM learning.lesson_events
GROUP BY 1;
CREATE UNIQUE INDEX daily_active_learners_day ON analytics.daily_active_learners (day);

-- Popular tracks: learners and completions per track.
CREATE MATERIALIZED VIEW analytics.popular_tracks AS
SELECT t.track_id,
       t.title,
       count(DISTINCT e.learner_id)                  AS learners,
       count(e.event_id) FILTER (WHERE e.kind = 'completed') AS completions
FROM learning.tracks t
LEFT JOIN learning.lesson_events e USING (track_id)
GROUP BY t.track_id, t.title;
CREATE UNIQUE INDEX popular_tracks_track ON analytics.popular_tracks (track_id);

-- Quiz completion rates per track.
CREATE MATERIALIZED VIEW analytics.quiz_completion_rates AS
SELECT track_id,
       count(*)                                                 AS attempts,
       count(*) FILTER (WHERE completed)                        AS completed,
       round(100.0 * count(*) FILTER (WHERE completed) / count(*), 1) AS completion_rate_pct,
       round(avg(score), 1)                                     AS average_score
FROM learning.quiz_attempts
GROUP BY track_id;
CREATE UNIQUE INDEX quiz_completion_rates_track ON analytics.quiz_completion_rates (track_id);

-- The summary built on two of the views above: refreshed after either of them (a cascade).
-- No unique index: refreshed BLOCKING (readers wait for the short refresh).
CREATE MATERIALIZED VIEW analytics.learning_summary AS
SELECT d.day,
       d.active_learners,
       q.quiz_attempts,
       q.completion_rate_pct
FROM analytics.daily_active_learners d
CROSS JOIN (
    SELECT sum(attempts) AS quiz_attempts,
           round(100.0 * sum(completed) / nullif(sum(attempts), 0), 1) AS completion_rate_pct
    FROM analytics.quiz_completion_rates
) q;

-- Platform metrics per API endpoint.
CREATE MATERIALIZED VIEW analytics.platform_metrics AS
SELECT endpoint,
       count(*)                                 AS requests,
       count(*) FILTER (WHERE status >= 500)    AS errors,
       percentile_disc(0.95) WITHIN GROUP (ORDER BY duration_ms) AS p95_ms,
       max(requested_at)                        AS last_request_at
FROM learning.api_requests
GROUP BY endpoint;
CREATE UNIQUE INDEX platform_metrics_endpoint ON analytics.platform_metrics (endpoint);

INSERT INTO learning.tracks (track_id, title) VALUES
    (1, 'SQL basics'), (2, 'Data modelling'), (3, 'Window functions'),
    (4, 'Indexes'), (5, 'Replication'), (6, 'Query planning');

INSERT INTO learning.learners (learner_id, country)
SELECT n, (ARRAY['DE', 'FR', 'US', 'BR', 'IN', 'JP'])[1 + n % 6]
FROM generate_series(1, 500) AS n;
