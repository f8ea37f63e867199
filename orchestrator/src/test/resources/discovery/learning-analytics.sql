-- A learning-analytics schema like the cron setups': sources in "learning", views in "analytics".
CREATE SCHEMA learning;
CREATE SCHEMA analytics;
CREATE TABLE learning.users (id bigint PRIMARY KEY, name text NOT NULL);
CREATE TABLE learning.tracks (id bigint PRIMARY KEY, title text NOT NULL);
CREATE TABLE learning.track_enrollments (
  id bigserial PRIMARY KEY, user_id bigint NOT NULL, track_id bigint NOT NULL);
CREATE TABLE learning.lesson_events (
  id bigserial, user_id bigint NOT NULL, occurred_at timestamptz NOT NULL,
  PRIMARY KEY (id, occurred_at)) PARTITION BY RANGE (occurred_at);
CREATE TABLE learning.lesson_events_2026 PARTITION OF learning.lesson_events
  FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE learning.quiz_attempts (
  id bigserial PRIMARY KEY, user_id bigint NOT NULL, completed boolean NOT NULL);
CREATE TABLE learning.review_sessions (
  id bigserial PRIMARY KEY, user_id bigint NOT NULL, started_at timestamptz NOT NULL);
CREATE TABLE learning.explanation_views (
  id bigserial PRIMARY KEY, user_id bigint NOT NULL, explanation_id bigint NOT NULL);

-- A plain view in between: discovery follows it to the partitioned table.
CREATE VIEW learning.recent_lesson_events AS
  SELECT user_id, occurred_at FROM learning.lesson_events
   WHERE occurred_at > now() - interval '90 days';

CREATE MATERIALIZED VIEW analytics.daily_active_learning AS
  SELECT date_trunc('day', occurred_at) AS day, count(DISTINCT user_id) AS learners
    FROM learning.recent_lesson_events GROUP BY 1;
CREATE UNIQUE INDEX ON analytics.daily_active_learning (day);

CREATE MATERIALIZED VIEW analytics.popular_tracks AS
  SELECT t.id AS track_id, t.title, count(e.id) AS enrollments
    FROM learning.tracks t LEFT JOIN learning.track_enrollments e ON e.track_id = t.id
   GROUP BY t.id, t.title;
CREATE UNIQUE INDEX ON analytics.popular_tracks (track_id);

CREATE MATERIALIZED VIEW analytics.streak_dropoffs AS
  SELECT u.id AS user_id, max(e.occurred_at) AS last_seen
    FROM learning.users u LEFT JOIN learning.lesson_events_2026 e ON e.user_id = u.id
   GROUP BY u.id;

CREATE MATERIALIZED VIEW analytics.quiz_completion_rates AS
  SELECT user_id, avg(CASE WHEN completed THEN 1 ELSE 0 END) AS rate
    FROM learning.quiz_attempts GROUP BY user_id;
CREATE UNIQUE INDEX ON analytics.quiz_completion_rates (user_id);

CREATE MATERIALIZED VIEW analytics.review_session_usage AS
  SELECT user_id, count(*) AS sessions FROM learning.review_sessions GROUP BY user_id;

CREATE MATERIALIZED VIEW analytics.explanation_engagement AS
  SELECT explanation_id, count(DISTINCT user_id) AS readers
    FROM learning.explanation_views GROUP BY explanation_id
  WITH NO DATA;

-- The summary is built on two of the others.
CREATE MATERIALIZED VIEW analytics.learning_summary AS
  SELECT d.day, d.learners, (SELECT avg(rate) FROM analytics.quiz_completion_rates) AS quiz_rate
    FROM analytics.daily_active_learning d;
