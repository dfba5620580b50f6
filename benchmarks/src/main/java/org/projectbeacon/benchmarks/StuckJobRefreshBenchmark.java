package org.projectbeacon.benchmarks;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.projectbeacon.outbox.Outbox;
import org.projectbeacon.outbox.OutboxConfig;
import org.projectbeacon.outbox.OutboxMonitor;
import org.projectbeacon.outbox.OutboxSnapshot;
import org.projectbeacon.outbox.spi.OutboxDialect;

/**
 * Stuck-job refresh: {@link OutboxMonitor#refresh()} (unpublished count, oldest age, rows older than
 * the stuck threshold, dead letters) against a PostgreSQL outbox holding 1,000,000 unpublished rows,
 * half of them older than the 5-minute threshold. Prints a markdown section: time per refresh over
 * 30 refreshes after 5 warm-up ones, and the plans of the statements.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.projectbeacon.benchmarks.StuckJobRefreshBenchmark [rows]
 * </pre>
 */
public final class StuckJobRefreshBenchmark {

    private StuckJobRefreshBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(OutboxDrainBenchmark.env("BEACON_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres"));
        OutboxConfig config = OutboxDrainBenchmark.outboxConfig("bench_stuck_");
        OutboxDrainBenchmark.dropBeacon(ds, config);
        Outbox.create(config).migrate(ds);
        try {
            OutboxDrainBenchmark.preloadBeacon(ds, config, rows);
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                // Half the backlog older than the stuck threshold, as in a long outage.
                st.executeUpdate("UPDATE " + config.outboxTable() + " SET created_at = created_at - 600000 WHERE seq % 2 = 0");
                st.execute("VACUUM ANALYZE " + config.outboxTable());
            }
            // A pooled data source, as a runner has: a new physical connection per refresh would be timed too.
            HikariConfig hc = new HikariConfig();
            hc.setJdbcUrl(ds.getURL());
            hc.setMaximumPoolSize(1);
            HikariDataSource pool = new HikariDataSource(hc);
            OutboxMonitor monitor = OutboxMonitor.builder(pool, config).stuckAge(Duration.ofMinutes(5)).build();
            for (int i = 0; i < 5; i++) {
                monitor.refresh();
            }
            List<Double> millis = new ArrayList<>();
            OutboxSnapshot last = null;
            for (int i = 0; i < 30; i++) {
                long t0 = System.nanoTime();
                last = monitor.refresh();
                millis.add((System.nanoTime() - t0) / 1e6);
            }
            pool.close();
            List<Double> sorted = new ArrayList<>(millis);
            sorted.sort(null);
            double mean = millis.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            double p50 = sorted.get(sorted.size() / 2);
            double max = sorted.get(sorted.size() - 1);
            System.out.println();
            System.out.printf(Locale.ROOT, "%d unpublished rows (%d older than 5 min), 30 refreshes after 5 warm-up ones:%n%n",
                    last.unpublished(), last.olderThanStuckAge());
            System.out.println("| goal | mean | p50 | max | result |");
            System.out.println("|---|---:|---:|---:|---|");
            System.out.printf(Locale.ROOT, "| ≤ 100 ms per refresh | %.1f ms | %.1f ms | %.1f ms | %s |%n%n",
                    mean, p50, max, p50 <= 100 ? "met" : "not met");
            System.out.println("Plans (`EXPLAIN ANALYZE`, top lines):");
            System.out.println();
            System.out.println("```");
            // The dialect's statement the monitor runs for the unpublished figures (plus a COUNT of the dead
            // letter table), its threshold parameter written in.
            plan(ds, OutboxDialect.postgresql().backlogStats(config.outboxTable())
                    .replace("?", Long.toString(System.currentTimeMillis() - 300_000)));
            System.out.println("```");
        } finally {
            OutboxDrainBenchmark.dropBeacon(ds, config);
        }
    }

    private static void plan(PGSimpleDataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute(OutboxDialect.postgresql().serialScanStatement());
            ResultSet rs = st.executeQuery("EXPLAIN (ANALYZE, BUFFERS) " + sql);
            System.out.println(sql.replaceAll("\\d{13}", "<now - 5 min>"));
            int n = 0;
            while (rs.next()) {
                String line = rs.getString(1);
                if (n++ < 4 || line.startsWith("Execution Time")) {
                    System.out.println("  " + line);
                }
            }
            c.rollback();
        }
    }
}
