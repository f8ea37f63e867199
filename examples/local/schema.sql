-- A small music-learning schema: source tables in public, materialized views in analytics.
CREATE TABLE public.tracks (
    track_id  bigint PRIMARY KEY,
    title     text NOT NULL
);
CREATE TABLE public.plays (
    play_id   bigserial PRIMARY KEY,
    track_id  bigint NOT NULL REFERENCES public.tracks,
    user_id   bigint NOT NULL,
    played_at timestamptz NOT NULL DEFAULT now()
);

CREATE SCHEMA analytics;

-- Has a unique index on a plain column: refreshed CONCURRENTLY, readers never wait.
CREATE MATERIALIZED VIEW analytics.popular_tracks AS
SELECT t.track_id, t.title, count(p.play_id) AS plays
FROM public.tracks t LEFT JOIN public.plays p USING (track_id)
GROUP BY t.track_id, t.title;
CREATE UNIQUE INDEX popular_tracks_pk ON analytics.popular_tracks (track_id);

-- No unique index: refreshed BLOCKING (readers wait), the result's detail says why.
CREATE MATERIALIZED VIEW analytics.daily_active_listeners AS
SELECT date_trunc('day', played_at) AS day, count(DISTINCT user_id) AS listeners
FROM public.plays
GROUP BY 1;

INSERT INTO public.tracks (track_id, title) VALUES (1, 'Intro'), (2, 'Scales'), (3, 'Etude');
