package io.refreshorchestrator.benchmark.compare;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * The workload's tables and views. {@code bench.events} (the table every workload writes) and
 * {@code bench.campaigns}; four views in {@code analytics}: by day and by campaign (each with a
 * unique index, so refreshed CONCURRENTLY), a join by channel (no unique index: plain REFRESH), and
 * {@code top_campaigns} built on {@code events_by_campaign}. Every strategy starts from the same
 * rows: {@link #reset} drops and recreates everything from a deterministic seed.
 */
public final class WorkloadSchema {

    /** The table every workload writes. */
    public static final String EVENTS_TABLE = "bench.events";

    public static final int CAMPAIGNS = 50;
    public static final int DAYS = 90;
    public static final String BY_DAY = "analytics.events_by_day";
    public static final String BY_CAMPAIGN = "analytics.events_by_campaign";
    public static final String BY_CHANNEL = "analytics.channel_totals";
    public static final String TOP_CAMPAIGNS = "analytics.top_campaigns";

    /** The views in dependency order. */
    public static final List<String> VIEWS =
            List.of(BY_DAY, BY_CAMPAIGN, BY_CHANNEL, TOP_CAMPAIGNS);

    /** Views built on another view, and the view they read. */
    public static final Map<String, String> UPSTREAM = Map.of(TOP_CAMPAIGNS, BY_CAMPAIGN);

    private static final String[] CHANNELS = {"search", "social", "email", "display", "video"};

    private static final Map<String, String> QUERIES =
            Map.of(
                    BY_DAY,
                    "SELECT occurred_on AS day, count(*) AS events, sum(amount) AS amount,"
                            + " max(id) AS max_id FROM bench.events GROUP BY occurred_on",
                    BY_CAMPAIGN,
                    "SELECT campaign_id, count(*) AS events, sum(amount) AS amount,"
                            + " max(id) AS max_id FROM bench.events GROUP BY campaign_id",
                    BY_CHANNEL,
                    "SELECT c.channel, count(*) AS events, sum(e.amount) AS amount,"
                            + " max(e.id) AS max_id FROM bench.events e"
                            + " JOIN bench.campaigns c ON c.id = e.campaign_id GROUP BY c.channel");

    private static final String TOP_QUERY =
            "SELECT campaign_id, events, amount FROM " + BY_CAMPAIGN + " WHERE events > 0";

    /** How the views are kept: materialized views for refreshes, IMMVs for pg_ivm. */
    public enum ViewKind {
        MATERIALIZED,
        IMMV
    }

    private WorkloadSchema() {}

    /** The channel of a campaign, as seeded. */
    public static String channelOf(int campaignId) {
        return CHANNELS[campaignId % CHANNELS.length];
    }

    /** Drops and recreates both schemas, seeds {@code seedRows} events, creates the views. */
    public static void reset(Connection connection, int seedRows, ViewKind kind)
            throws SQLException {
        try (Statement sql = connection.createStatement()) {
            sql.execute("DROP SCHEMA IF EXISTS analytics CASCADE");
            sql.execute("DROP SCHEMA IF EXISTS bench CASCADE");
            sql.execute("CREATE SCHEMA bench");
            sql.execute("CREATE SCHEMA analytics");
            sql.execute(
                    "CREATE TABLE bench.campaigns (id int PRIMARY KEY, name text NOT NULL,"
                            + " channel text NOT NULL)");
            sql.execute(
                    "INSERT INTO bench.campaigns SELECT i, 'campaign ' || i,"
                            + " (ARRAY['search','social','email','display','video'])[i % 5 + 1]"
                            + " FROM generate_series(0, "
                            + (CAMPAIGNS - 1)
                            + ") i");
            sql.execute(
                    "CREATE TABLE bench.events (id bigserial PRIMARY KEY,"
                            + " campaign_id int NOT NULL REFERENCES bench.campaigns,"
                            + " occurred_on date NOT NULL, amount numeric(12,2) NOT NULL)");
            sql.execute(
                    "INSERT INTO bench.events (campaign_id, occurred_on, amount)"
                            + " SELECT i % "
                            + CAMPAIGNS
                            + ", date '2026-01-01' + (i % "
                            + DAYS
                            + "), (i * 37 % 1000) / 10.0 FROM generate_series(1, "
                            + Math.max(0, seedRows)
                            + ") i");
            sql.execute("ANALYZE bench.events");
            if (kind == ViewKind.MATERIALIZED) {
                createMaterialized(sql);
            } else {
                createImmvs(sql);
            }
        }
    }

    private static void createMaterialized(Statement sql) throws SQLException {
        for (String view : List.of(BY_DAY, BY_CAMPAIGN, BY_CHANNEL)) {
            sql.execute("CREATE MATERIALIZED VIEW " + view + " AS " + QUERIES.get(view));
        }
        sql.execute("CREATE MATERIALIZED VIEW " + TOP_CAMPAIGNS + " AS " + TOP_QUERY);
        sql.execute("CREATE UNIQUE INDEX events_by_day_key ON " + BY_DAY + " (day)");
        sql.execute(
                "CREATE UNIQUE INDEX events_by_campaign_key ON " + BY_CAMPAIGN + " (campaign_id)");
        sql.execute("CREATE UNIQUE INDEX top_campaigns_key ON " + TOP_CAMPAIGNS + " (campaign_id)");
    }

    /**
     * pg_ivm maintains views over base tables only: the view built on a view stays a plain view
     * over the IMMV (always as fresh as the IMMV, computed when read).
     */
    private static void createImmvs(Statement sql) throws SQLException {
        for (String view : List.of(BY_DAY, BY_CAMPAIGN, BY_CHANNEL)) {
            sql.execute(
                    "SELECT pgivm.create_immv('"
                            + view
                            + "', '"
                            + QUERIES.get(view).replace("'", "''")
                            + "')");
        }
        sql.execute("CREATE VIEW " + TOP_CAMPAIGNS + " AS " + TOP_QUERY);
    }

    /** Views that have a unique index and can be refreshed CONCURRENTLY. */
    public static boolean concurrently(String view) {
        return !view.equals(BY_CHANNEL);
    }
}
