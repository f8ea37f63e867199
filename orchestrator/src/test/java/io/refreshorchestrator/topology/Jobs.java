package io.refreshorchestrator.topology;

import io.refreshorchestrator.discovery.JobGraph;
import io.refreshorchestrator.discovery.JobPolicy;
import io.refreshorchestrator.discovery.JobSpec;
import io.refreshorchestrator.discovery.RelationName;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** The job graph of the topology tests: a small music shop. */
final class Jobs {

    static final RelationName TRACKS = new RelationName("public", "tracks");
    static final RelationName PLAYS = new RelationName("public", "plays");
    static final RelationName ARTISTS = new RelationName("public", "artists");
    static final RelationName ORDERS = new RelationName("shop", "orders");

    static final Duration DEBOUNCE = Duration.ofSeconds(1);
    static final Duration MAX_DELAY = Duration.ofSeconds(5);

    static final String POPULAR_TRACKS = "analytics.popular_tracks";
    static final String ARTIST_STATS = "analytics.artist_stats";
    static final String DAILY_SALES = "analytics.daily_sales";

    private Jobs() {}

    static JobPolicy policy(Duration debounce, Duration maxDelay) {
        return new JobPolicy(debounce, maxDelay, Duration.ofMinutes(30), Duration.ofSeconds(30));
    }

    /** popular_tracks (tracks, plays), artist_stats (tracks, artists), daily_sales (orders). */
    static JobGraph musicShop() {
        return musicShop(policy(DEBOUNCE, MAX_DELAY));
    }

    static JobGraph musicShop(JobPolicy policy) {
        return JobGraph.of(
                List.of(
                        job(POPULAR_TRACKS, policy, TRACKS, PLAYS),
                        job(ARTIST_STATS, policy, TRACKS, ARTISTS),
                        job(DAILY_SALES, policy, ORDERS)));
    }

    static JobSpec job(String name, JobPolicy policy, RelationName... sources) {
        return JobSpec.refresh(RelationName.parse(name), Set.of(sources), policy);
    }
}
